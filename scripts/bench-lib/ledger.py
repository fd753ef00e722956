"""The AI rows' database side: what a user's usage ledger and its running totals hold.

usage:
  python3 ledger.py DB_URL USER   # prints "<ledger sum> <running total>" of USER's tokens

The usage summary reads the running totals (`ai_usage_totals`); the bench compares them
with the ledger rows themselves (`ai_usage_events`), so a total that drifted from its
rows fails the run.
"""

import sys

from fulfil import ACCOUNT, query


def sums(db_url: str, user: str) -> tuple[int, int]:
    ledger = query(db_url, f"SELECT COALESCE(SUM(amount), 0) FROM ai_usage_events WHERE "
                           f"metric = 'tokens' AND customer_account_id = {ACCOUNT}", (user,))
    totals = query(db_url, f"SELECT COALESCE(SUM(used), 0) FROM ai_usage_totals WHERE "
                           f"metric = 'tokens' AND customer_account_id = {ACCOUNT}", (user,))
    return int(ledger[0][0]), int(totals[0][0])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(*sums(sys.argv[1], sys.argv[2]))
