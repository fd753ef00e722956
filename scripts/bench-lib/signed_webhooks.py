"""Writes N unique Svix-signed `session.created` deliveries, one per line:
svix-id <TAB> svix-timestamp <TAB> svix-signature <TAB> body.

usage: python3 signed_webhooks.py SECRET N OUT
Signed exactly as Svix does: base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}")),
the key being the base64 part of the `whsec_` secret.
"""

import base64
import hashlib
import hmac
import json
import sys
import time
import uuid


def main() -> None:
    secret, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    key = base64.b64decode(secret.removeprefix("whsec_"))
    now = str(int(time.time()))
    with open(out, "w", encoding="utf-8") as handle:
        for i in range(count):
            msg_id = f"msg_bench_{uuid.uuid4().hex}"
            body = json.dumps(
                {"type": "session.created", "object": "event",
                 "data": {"id": f"sess_{i}", "user_id": "user_bench"}},
                separators=(",", ":"),
            )
            digest = hmac.new(key, f"{msg_id}.{now}.{body}".encode(), hashlib.sha256).digest()
            signature = "v1," + base64.b64encode(digest).decode()
            handle.write(f"{msg_id}\t{now}\t{signature}\t{body}\n")


if __name__ == "__main__":
    main()
