# Sourced by scripts/bench (uses its BASE, run, RPS and dev_token): AI usage.
# - ai/tokens/estimate/ of a 2 KB prompt (counting only: no quota, no ledger);
# - ai/chat/complete/ on the simulator: billing-sync gate, reservation under the account
#   lock, settlement; then the ledger must hold exactly what the answers reported.

ESTIMATE_TOKEN="$(dev_token user_bench_estimate)"
CHAT_TOKEN="$(dev_token user_bench_chat)"
CHECK_TOKEN="$(dev_token user_bench_chat_check)"

BENCH_BODY="$(python3 -c '
import json
words = "Paidloop meters AI usage on the server, so every plan gets what it pays for. "
text = (words * 40)[:2048]
print(json.dumps({"model": "gpt-4.1-mini", "text": text}))
')"
export BENCH_BODY BENCH_TOKEN="$ESTIMATE_TOKEN"
run "POST ai/tokens/estimate/ (2 KB)" /api/ai/tokens/estimate/ -s scripts/bench-lib/post_json.lua

CHAT_BODY='{"messages": [{"role": "user", "content": "Write a short product description for a benchmark."}], "max_output_tokens": 64}'
# One chat first: a user's first metered request syncs billing with Clerk (the stand-in
# here), once; the row measures chats, not 32 first syncs at once.
curl -fs -o /dev/null -X POST -H 'content-type: application/json' -H "authorization: Bearer $CHAT_TOKEN" \
  -d "$CHAT_BODY" "$BASE/api/ai/chat/complete/"
export BENCH_BODY="$CHAT_BODY" BENCH_TOKEN="$CHAT_TOKEN"
run "POST ai/chat/complete/ (sim)" /api/ai/chat/complete/ -s scripts/bench-lib/ai_chat.lua
read -r _ CHAT_REPORTED CHAT_ANSWERS <<<"$(grep '^BENCH_TOKENS' <<<"$LAST_WRK_OUTPUT")"

# The ledger against the answers. wrk stops with requests still in flight: the server
# finishes and records them, but wrk never reads their answers. Every answer of this
# run reports the same usage (the simulator is deterministic), so the ledger must be
# the warm-up's and the answers' sum plus at most one such amount per connection; and
# the running totals the quota check reads must equal the ledger's rows.
sleep 1 # let the last settlements commit
read -r CHAT_LEDGER CHAT_TOTALS <<<"$(python3 scripts/bench-lib/ledger.py "$DB_URL" user_bench_chat)"
python3 - "$CHAT_LEDGER" "$CHAT_TOTALS" "$CHAT_REPORTED" "$CHAT_ANSWERS" "$CONNECTIONS" <<'PY'
import sys
ledger, totals, reported, answers, connections = map(int, sys.argv[1:6])
per_answer = reported // answers if answers else 0
extra = ledger - reported - per_answer  # the warm-up chat
if answers == 0 or reported % answers or extra < 0 or extra % per_answer or extra // per_answer > connections:
    sys.exit(f"ledger check FAILED: ledger {ledger} tokens, answers reported {reported} over {answers} answers")
if totals != ledger:
    sys.exit(f"ledger check FAILED: running total {totals} tokens, ledger rows {ledger}")
print(f"ledger check (wrk run): {ledger} tokens = (1 warm-up + {answers} answers) x {per_answer} + "
      f"{extra // per_answer} requests in flight when wrk stopped; the running total agrees")
PY

# An exact check: 2,000 chats over 32 connections, every answer read; the usage summary,
# the ledger's rows and the running total must each hold exactly what they reported.
python3 - "$BASE" "$CHECK_TOKEN" "$CHAT_BODY" "$DB_URL" <<'PY'
import json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
sys.path.insert(0, "scripts/bench-lib")
import ledger as usage_ledger
base, token, chat, db_url = sys.argv[1:5]
headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
def one(i):
    body = json.loads(chat)
    body["messages"][0]["content"] += f" Variant {i % 7}."
    request = urllib.request.Request(base + "/api/ai/chat/complete/", data=json.dumps(body).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["usage"]["total_tokens"]
with ThreadPoolExecutor(32) as pool:
    reported = sum(pool.map(one, range(2000)))
request = urllib.request.Request(base + "/api/ai/usage/summary/", headers={"authorization": f"Bearer {token}"})
summary = json.load(urllib.request.urlopen(request, timeout=30))
said = next(b["used"] for b in summary["buckets"] if b["key"] == "tokens")
rows, totals = usage_ledger.sums(db_url, "user_bench_chat_check")
if not said == rows == totals == reported:
    sys.exit(f"ledger check FAILED: {reported} reported by 2,000 answers; summary {said}, "
             f"ledger rows {rows}, running total {totals}")
print(f"ledger check (exact): 2,000 concurrent chats reported {reported} tokens; the usage summary, "
      f"the ledger's rows and the running total each hold {rows}")
PY

python3 - "${RPS[GET /api/health/]}" "${RPS[POST ai/tokens/estimate/ (2 KB)]}" "${RPS[POST ai/chat/complete/ (sim)]}" <<'PY'
import sys
health, estimate, chat = map(float, sys.argv[1:4])
print(f"token estimates run at {100 * estimate / health:.1f}% of /api/health/ (target: >= 10%)")
print(f"simulator chats run at {100 * chat / health:.1f}% of /api/health/ (target: >= 2%)")
PY
