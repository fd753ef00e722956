# Sourced by scripts/bench (uses its BASE, WORK, THREADS, run and RPS): the paid loop.
# - webhook ingestion: unique, Svix-signed `session.created` deliveries;
# - order creation: POST account/orders/create/ for one price (a product with two
#   assets; fulfil.sh pays for these orders), as one buyer;
# - the account order list of a buyer with 20 orders.

dev_token() {
  curl -fs -X POST -H 'content-type: application/json' -d "{\"user_id\":\"$1\"}" \
    "$BASE/api/dev/session/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

LOOP_PRICE="$(python3 - "$BASE" "$TOKEN" <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1:3]
def post(path, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"content-type": "application/json",
                                              "authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)
product = post("/api/seller/products/", {"name": "Bench Kit", "visibility": "published",
                                         "feature_keys": ["kit"]})
for n in (1, 2):
    post(f"/api/seller/products/{product['id']}/assets/",
         {"title": f"Kit part {n}", "file_path": f"bench/kit-{n}.zip"})
price = post(f"/api/seller/products/{product['id']}/prices/", {"amount_cents": 2500})
print(price["id"])
PY
)"

LIST_TOKEN="$(dev_token user_bench_orders)"
for _ in $(seq 1 20); do
  curl -fs -o /dev/null -X POST -H 'content-type: application/json' \
    -H "authorization: Bearer $LIST_TOKEN" -d "{\"price_id\": $LOOP_PRICE}" \
    "$BASE/api/account/orders/create/"
done

BUYER_TOKEN="$(dev_token user_bench_buyer)"
export BENCH_WEBHOOKS="$WORK/webhooks.tsv" BENCH_THREADS="$THREADS"
python3 scripts/bench-lib/signed_webhooks.py "$BENCH_WEBHOOK_SECRET" 200000 "$BENCH_WEBHOOKS"

run "POST /api/webhooks/clerk/" /api/webhooks/clerk/ -s scripts/bench-lib/signed_webhooks.lua
export BENCH_BODY="{\"price_id\": $LOOP_PRICE, \"quantity\": 1}" BENCH_TOKEN="$BUYER_TOKEN"
run "POST account/orders/create/" /api/account/orders/create/ -s scripts/bench-lib/post_json.lua
# Thousands of orders were just inserted; let Postgres refresh its statistics as its
# autovacuum soon would, so the list is measured with a realistic plan.
if [ -n "${PG_DB:-}" ]; then psql -q "${PG_ADMIN%/*}/$PG_DB" -c 'ANALYZE' >/dev/null; fi
run "GET account/orders/ (20)" /api/account/orders/ -H "authorization: Bearer $LIST_TOKEN"

python3 - "${RPS[GET /api/health/]}" "${RPS[POST /api/webhooks/clerk/]}" \
  "${RPS[POST account/orders/create/]}" "${RPS[GET account/orders/ (20)]}" <<'PY'
import sys
health, hooks, create, listing = map(float, sys.argv[1:5])
print(f"webhooks run at {100 * hooks / health:.1f}% of /api/health/ (target: >= 4%)")
print(f"order creation runs at {100 * create / health:.1f}% of /api/health/ (target: >= 2%)")
print(f"the 20-order list runs at {100 * listing / health:.1f}% of /api/health/ (target: >= 10%)")
PY
