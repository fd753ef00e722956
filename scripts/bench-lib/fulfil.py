"""The `fulfil` bench row's database side: pending orders, their signed payments, and
the exactly-once check afterwards.

usage:
  python3 fulfil.py pending DB_URL USER             # prints how many orders USER has pending
  python3 fulfil.py deliveries DB_URL USER SECRET OUT  # one signed payment per pending order
  python3 fulfil.py check DB_URL USER ANSWERED      # fails unless every fulfilled order has
                                                    # exactly its rows, and >= ANSWERED are
  python3 fulfil.py drain DB_URL TIMEOUT            # waits until the email outbox has nothing
                                                    # left to send; prints how long it took

Deliveries are `paymentAttempt.updated` events with status `paid`, shaped as Clerk sends
them (as `paidloop dev pay` builds them), signed exactly as Svix does, one per line:
svix-id <TAB> svix-timestamp <TAB> svix-signature <TAB> body (see signed_webhooks.lua).
The database is read directly (sqlite3, or psql for Postgres): the bench needs tens of
thousands of order ids, and reading them over the API would be a bench of its own.
"""

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import time
import uuid


def query(db_url: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of `sql` (`?` placeholders) on the bench database."""
    if db_url.startswith("sqlite://"):
        import sqlite3

        path = db_url.removeprefix("sqlite://").split("?")[0]
        with sqlite3.connect(path, timeout=30) as conn:
            return conn.execute(sql, params).fetchall()
    for value in params:
        sql = sql.replace("?", "'" + str(value).replace("'", "''") + "'", 1)
    out = subprocess.run(["psql", "-qAtX", "-F", "\t", db_url, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [tuple(line.split("\t")) for line in out.splitlines() if line]


def public_id(raw) -> str:
    """An order's public id, however the driver stored it (16-byte blob or text)."""
    if isinstance(raw, (bytes, bytearray)):
        return str(uuid.UUID(bytes=bytes(raw)))
    return str(uuid.UUID(str(raw)))


ACCOUNT = """(SELECT a.id FROM customer_accounts a JOIN profiles p ON p.id = a.profile_id
              WHERE p.clerk_user_id = ?)"""


def pending(db_url: str, user: str) -> int:
    rows = query(db_url, f"SELECT count(*) FROM orders WHERE status = 'pending_payment' "
                         f"AND customer_account_id = {ACCOUNT}", (user,))
    return int(rows[0][0])


def deliveries(db_url: str, user: str, secret: str, out: str) -> None:
    ids = query(db_url, f"SELECT public_id FROM orders WHERE status = 'pending_payment' "
                        f"AND customer_account_id = {ACCOUNT} ORDER BY id", (user,))
    key = base64.b64decode(secret.removeprefix("whsec_"))
    now = int(time.time())
    with open(out, "w", encoding="utf-8") as handle:
        for (raw,) in ids:
            order = public_id(raw)
            attempt = uuid.uuid4().hex[:20]
            msg_id = f"msg_fulfil_{uuid.uuid4().hex}"
            body = json.dumps({
                "object": "event", "type": "paymentAttempt.updated", "timestamp": now * 1000,
                "data": {"object": "commerce_payment_attempt", "id": f"pa_bench_{attempt}",
                         "status": "paid", "payment_id": f"pay_bench_{attempt}",
                         "updated_at": now * 1000,
                         "metadata": {"order_public_id": order}},
            }, separators=(",", ":"))
            digest = hmac.new(key, f"{msg_id}.{now}.{body}".encode(), hashlib.sha256).digest()
            signature = "v1," + base64.b64encode(digest).decode()
            handle.write(f"{msg_id}\t{now}\t{signature}\t{body}\n")
    print(len(ids))


def check(db_url: str, user: str, answered: int) -> None:
    """Every fulfilled order of USER has exactly one succeeded payment, one entitlement,
    two grants and one "order fulfilled" email, and at least ANSWERED orders are fulfilled."""
    orders = f"SELECT id FROM orders WHERE status = 'fulfilled' AND customer_account_id = {ACCOUNT}"
    items = f"SELECT id FROM order_items WHERE order_id IN ({orders})"
    counts = {
        "fulfilled orders": f"SELECT count(*) FROM ({orders}) o",
        "succeeded payments": f"SELECT count(*) FROM payment_transactions WHERE status = 'succeeded' "
                              f"AND order_id IN ({orders})",
        "orders with one payment": f"SELECT count(*) FROM (SELECT order_id FROM payment_transactions "
                                   f"WHERE order_id IN ({orders}) GROUP BY order_id "
                                   f"HAVING count(*) = 1) t",
        "grants / 2": f"SELECT count(*) / 2 FROM download_grants WHERE order_item_id IN ({items})",
        "orders with two grants": f"SELECT count(*) FROM (SELECT order_item_id FROM download_grants "
                                  f"WHERE order_item_id IN ({items}) GROUP BY order_item_id "
                                  f"HAVING count(*) = 2) t",
        "order emails": "SELECT count(*) FROM email_outbox WHERE kind = 'order_fulfilled' "
                        "AND to_email = ?",
    }
    found = {}
    for name, sql in counts.items():
        params = (user,) * sql.count("?")
        if name == "order emails":
            params = (f"{user}@example.com",)
        found[name] = int(query(db_url, sql, params)[0][0])
    entitled = query(db_url, f"SELECT count(*) FROM entitlements WHERE customer_account_id = "
                             f"{ACCOUNT} AND feature_key = 'kit'", (user,))
    found["kit entitlements"] = int(entitled[0][0])
    fulfilled = found["fulfilled orders"]
    expected = {name: fulfilled for name in found}
    # One entitlement per order: its source is the order, so each purchase keeps its own.
    ok = found == expected and fulfilled >= answered
    summary = ", ".join(f"{name} {count}" for name, count in found.items())
    print(f"exactly once: {'ok' if ok else 'FAILED'} ({summary}; {answered} answered)")
    if not ok:
        sys.exit(1)


def drain(db_url: str, timeout: float) -> None:
    """Waits for the email worker to deliver what the fulfilment row queued, so that the
    rows after it measure their own work, not the worker's; fails after TIMEOUT s."""
    started = time.monotonic()
    unsent = "SELECT count(*) FROM email_outbox WHERE status IN ('pending', 'sending')"
    queued = int(query(db_url, unsent)[0][0])
    while True:
        left = int(query(db_url, unsent)[0][0])
        took = time.monotonic() - started
        if left == 0:
            rate = f", {queued / took:.0f}/s" if took > 0 and queued else ""
            print(f"email worker: delivered the {queued} queued emails in {took:.1f} s{rate}")
            return
        if took > timeout:
            sys.exit(f"email worker: {left} of {queued} emails still unsent after {timeout:.0f} s")
        time.sleep(0.5)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "pending":
        print(pending(*args))
    elif command == "deliveries":
        deliveries(*args)
    elif command == "check":
        check(args[0], args[1], int(args[2]))
    elif command == "drain":
        drain(args[0], float(args[1]))
    else:
        sys.exit(__doc__)
