# Sourced by scripts/bench (uses its BASE, TOKEN, run and RPS): the public catalog.
# Seeds 50 published products over HTTP as the bench user (3 prices each, every second
# one with two assets), then measures the list and one product's detail.

python3 - "$BASE" "$TOKEN" <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1:3]
def post(path, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"content-type": "application/json",
                                              "authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201, (path, response.status)
        return json.load(response)
for i in range(50):
    product = post("/api/seller/products/", {
        "name": f"Bench product {i:02d}", "visibility": "published",
        "tagline": "A product for the benchmark", "description": "Seeded by scripts/bench. " * 8,
        "feature_keys": ["pro", "priority_support"], "metadata": {"bench": True}})
    prices = f"/api/seller/products/{product['id']}/prices/"
    post(prices, {"name": "Once", "amount_cents": 4900, "billing_period": "one_time"})
    post(prices, {"name": "Monthly", "amount_cents": 1900, "billing_period": "monthly", "is_default": True})
    post(prices, {"name": "Yearly", "amount_cents": 19000, "billing_period": "yearly"})
    if i % 2 == 0:
        for n in range(2):
            post(f"/api/seller/products/{product['id']}/assets/", {
                "title": f"File {n}", "file_path": f"bench/{i}/{n}.zip", "file_size_bytes": 1024 * (n + 1)})
PY

run "GET /api/products/ (50)" /api/products/
run "GET /api/products/{slug}/" /api/products/bench-product-00/

python3 - "${RPS[GET /api/health/]}" "${RPS[GET /api/products/ (50)]}" "${RPS[GET /api/products/{slug}/]}" <<'PY'
import sys
health, listing, detail = map(float, sys.argv[1:4])
print(f"the product list (50) runs at {100 * listing / health:.0f}% of /api/health/ (target: >= 10%)")
print(f"a product detail runs at {100 * detail / health:.0f}% of /api/health/ (target: >= 20%)")
PY
