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
export BENCH_BODY="$CHAT_BODY" BENCH_TOKEN="$CHAT_TOKEN"
run "POST ai/chat/complete/ (sim)" /api/ai/chat/complete/ -s scripts/bench-lib/ai_chat.lua
read -r _ CHAT_REPORTED CHAT_ANSWERS <<<"$(grep '^BENCH_TOKENS' <<<"$LAST_WRK_OUTPUT")"

# The ledger against the answers. wrk stops with requests still in flight: the server
# finishes and records them, but wrk never reads their answers. Every answer of this
# run reports the same usage (the simulator is deterministic), so the ledger must be
# the answers' sum plus at most one such amount per connection.
python3 - "$BASE" "$CHAT_TOKEN" "$CHAT_REPORTED" "$CHAT_ANSWERS" "$CONNECTIONS" <<'PY'
import json, sys, time, urllib.request
base, token, reported, answers, connections = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
time.sleep(1)  # let the last settlements commit
request = urllib.request.Request(base + "/api/ai/usage/summary/", headers={"authorization": f"Bearer {token}"})
summary = json.load(urllib.request.urlopen(request, timeout=30))
ledger = next(b["used"] for b in summary["buckets"] if b["key"] == "tokens")
per_answer = reported // answers if answers else 0
extra = ledger - reported
if answers == 0 or reported % answers or extra < 0 or extra % per_answer or extra // per_answer > connections:
    sys.exit(f"ledger check FAILED: ledger {ledger} tokens, answers reported {reported} over {answers} answers")
print(f"ledger check (wrk run): {ledger} tokens = {answers} answers x {per_answer} + {extra // per_answer} requests in flight when wrk stopped")
PY

# An exact check: 2,000 chats over 32 connections, every answer read.
python3 - "$BASE" "$CHECK_TOKEN" "$CHAT_BODY" <<'PY'
import json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
base, token, chat = sys.argv[1:4]
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
ledger = next(b["used"] for b in summary["buckets"] if b["key"] == "tokens")
if ledger != reported:
    sys.exit(f"ledger check FAILED: ledger {ledger} tokens != {reported} reported by 2,000 answers")
print(f"ledger check (exact): 2,000 concurrent chats reported {reported} tokens; the ledger holds {ledger}")
PY

python3 - "${RPS[GET /api/health/]}" "${RPS[POST ai/tokens/estimate/ (2 KB)]}" "${RPS[POST ai/chat/complete/ (sim)]}" <<'PY'
import sys
health, estimate, chat = map(float, sys.argv[1:4])
print(f"token estimates run at {100 * estimate / health:.1f}% of /api/health/ (target: >= 10%)")
print(f"simulator chats run at {100 * chat / health:.1f}% of /api/health/ (target: >= 2%)")
PY
