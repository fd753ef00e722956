# Sourced by scripts/bench after paid_loop.sh (uses its BASE, WORK, DB_URL, THREADS,
# SECONDS_PER_RUN, BENCH_WEBHOOK_SECRET, LOOP_PRICE, BUYER_TOKEN, run and RPS): the money
# path. Each request is a signed `paymentAttempt.updated` (paid) for its own pending
# order of a digital product with two assets, so each one confirms and fulfils (an
# entitlement, two grants, the payment transaction) and queues the buyer's email. The
# pending orders are the order-creation row's, topped up until there are more than
# the row can pay. Afterwards every fulfilled order is counted: exactly one of each, and
# the bench waits for the email worker to deliver the row's emails (to the .eml outbox),
# so that they are not sent during, and counted against, the rows after it.

FULFIL_NEEDED=$((SECONDS_PER_RUN * ${BENCH_FULFIL_PER_SECOND:-8000}))
export BENCH_BODY="{\"price_id\": $LOOP_PRICE, \"quantity\": 1}" BENCH_TOKEN="$BUYER_TOKEN"
while [ "$(python3 scripts/bench-lib/fulfil.py pending "$DB_URL" user_bench_buyer)" -lt "$FULFIL_NEEDED" ]; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s scripts/bench-lib/post_json.lua \
    "$BASE/api/account/orders/create/" >/dev/null
done
if [ -n "${PG_DB:-}" ]; then psql -q "$DB_URL" -c 'ANALYZE' >/dev/null; fi
export BENCH_WEBHOOKS="$WORK/payments.tsv" BENCH_STOP_AT_END=1
python3 scripts/bench-lib/fulfil.py deliveries "$DB_URL" user_bench_buyer \
  "$BENCH_WEBHOOK_SECRET" "$BENCH_WEBHOOKS" >/dev/null

run "POST webhooks/clerk/ (fulfil)" /api/webhooks/clerk/ -s scripts/bench-lib/signed_webhooks.lua
unset BENCH_STOP_AT_END
sleep 1 # let requests wrk gave up on at the end finish
python3 scripts/bench-lib/fulfil.py check "$DB_URL" user_bench_buyer "${ANSWERED[POST webhooks/clerk/ (fulfil)]}"
python3 scripts/bench-lib/fulfil.py drain "$DB_URL" 600

python3 - "${RPS[GET /api/health/]}" "${RPS[POST webhooks/clerk/ (fulfil)]}" <<'PY'
import sys
health, fulfil = map(float, sys.argv[1:3])
print(f"paid webhooks (fulfilment) run at {100 * fulfil / health:.2f}% of /api/health/ (target: >= 2%)")
PY
