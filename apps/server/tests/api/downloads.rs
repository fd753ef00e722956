//! `account/downloads/`, `account/downloads/{token}/access/` and the local storage's
//! signed links (`downloads/local/{path}`).
//!
//! Grants come from fulfilment, which has its own tests; here the rows are written
//! straight into the test database, so each test states exactly the grant it needs.

use std::path::Path;

use chrono::{TimeDelta, Utc};
use paidloop_clerk::testing::TestKeys;
use paidloop_server::entities::{
    digital_assets, download_grants, order_items, orders, products, profiles,
};
use paidloop_server::services::storage::{AssetPath, LinkSigner};
use reqwest::Method;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::catalog_support::account_of;
use crate::helpers::{KID, TestApp, body};

/// The `APP_SECRET_KEY` of the test configuration, which signs local links.
const SECRET_KEY: &str = "t3st-Xq9vLr2mZp8Kc4Wn7Bh1Jd6Fs0Gy5Ue3Ta9Ro2Pi8Lk4Mj7Nh1Vb6Cx0Zq5";

/// The keys of the spec's Grant shape.
const GRANT_KEYS: [&str; 14] = [
    "id",
    "token",
    "asset",
    "asset_title",
    "product_name",
    "order_item",
    "expires_at",
    "max_downloads",
    "download_count",
    "last_downloaded_at",
    "is_active",
    "can_download",
    "created_at",
    "updated_at",
];

/// A product of `seller`'s sold to `buyer`: the ids a grant or work order needs.
pub struct Sale {
    /// The buyer's customer account.
    pub account: i64,
    /// The product sold.
    pub product: i64,
    /// The order line.
    pub order_item: i64,
}

/// Writes a published product of `product_type` owned by `seller`, and a paid order of
/// one unit of it by `buyer`.
pub async fn sale(app: &TestApp, seller: &str, buyer: &str, product_type: &str) -> Sale {
    assert_eq!(app.get_as(seller, "/api/me/").await.status().as_u16(), 200);
    let owner = profiles::Entity::find()
        .filter(profiles::Column::ClerkUserId.eq(seller))
        .one(&app.db)
        .await
        .expect("profile query")
        .expect("the seller's profile");
    let slug = format!("p-{}", uuid::Uuid::new_v4().simple());
    let product = products::ActiveModel {
        owner_id: Set(owner.id),
        name: Set(format!("Product {slug}")),
        slug: Set(slug),
        tagline: Set(String::new()),
        description: Set(String::new()),
        product_type: Set(product_type.into()),
        visibility: Set("published".into()),
        feature_keys: Set(json!([])),
        metadata: Set(json!({})),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("product");
    let account = account_of(app, buyer).await;
    let order = orders::ActiveModel {
        customer_account_id: Set(account),
        status: Set("fulfilled".into()),
        currency: Set("USD".into()),
        subtotal_cents: Set(900),
        tax_cents: Set(0),
        total_cents: Set(900),
        notes: Set(String::new()),
        metadata: Set(json!({})),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("order");
    let item = order_items::ActiveModel {
        order_id: Set(order.id),
        product_id: Set(product.id),
        price_id: Set(None),
        quantity: Set(1),
        unit_amount_cents: Set(900),
        total_amount_cents: Set(900),
        product_name_snapshot: Set(product.name.clone()),
        price_name_snapshot: Set("One-time".into()),
        metadata: Set(json!({})),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("order item");
    Sale {
        account,
        product: product.id,
        order_item: item.id,
    }
}

/// Writes an active asset of `product` stored at `file_path`.
pub async fn asset(app: &TestApp, product: i64, title: &str, file_path: &str) -> i64 {
    digital_assets::ActiveModel {
        product_id: Set(product),
        title: Set(title.into()),
        file_path: Set(file_path.into()),
        file_size_bytes: Set(0),
        checksum_sha256: Set(String::new()),
        version_label: Set(String::new()),
        is_active: Set(true),
        metadata: Set(json!({})),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("asset")
    .id
}

/// Writes a grant of `asset` for the sale, shaped by `edit` (active, 5 downloads, none
/// used, no expiry unless it says otherwise).
pub async fn grant(
    app: &TestApp,
    sale: &Sale,
    asset: i64,
    edit: impl FnOnce(&mut download_grants::ActiveModel),
) -> download_grants::Model {
    let mut row = download_grants::ActiveModel {
        customer_account_id: Set(sale.account),
        order_item_id: Set(sale.order_item),
        asset_id: Set(asset),
        expires_at: Set(None),
        max_downloads: Set(5),
        download_count: Set(0),
        is_active: Set(true),
        ..Default::default()
    };
    edit(&mut row);
    row.insert(&app.db).await.expect("grant")
}

/// The grant's row as stored now.
pub async fn stored(app: &TestApp, id: i64) -> download_grants::Model {
    download_grants::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("grant query")
        .expect("the grant")
}

/// A server whose local asset storage is `dir`.
async fn with_local_storage(dir: &Path) -> TestApp {
    let app = TestApp::builder()
        .env("ASSET_STORAGE_BACKEND", "local")
        .env("ASSET_STORAGE_LOCAL_DIR", dir.to_str().expect("utf-8 path"))
        .start()
        .await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    app
}

/// Writes `bytes` at `relative` under `dir`.
fn put_file(dir: &Path, relative: &str, bytes: &[u8]) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// `POST account/downloads/{token}/access/` as `user`.
async fn use_grant(app: &TestApp, user: &str, token: &str) -> (u16, Value) {
    body(
        app.send_as(
            user,
            Method::POST,
            &format!("/api/account/downloads/{token}/access/"),
            &json!({}),
        )
        .await,
    )
    .await
}

/// Writes one asset and one grant of it per number in `range`.
async fn add_grants(app: &TestApp, sale: &Sale, range: std::ops::Range<usize>) {
    for n in range {
        let file = format!("f{n}.pdf");
        let asset = asset(app, sale.product, &file, &file).await;
        grant(app, sale, asset, |_| {}).await;
    }
}

/// A local storage, a digital product with one file in it, sold to `buyer`.
async fn local_sale(buyer: &str) -> (tempfile::TempDir, TestApp, Sale, i64) {
    let dir = tempfile::tempdir().expect("temp dir");
    put_file(dir.path(), "books/guide.pdf", b"%PDF-1.7 the guide");
    let app = with_local_storage(dir.path()).await;
    let sale = sale(&app, "seller_dl", buyer, "digital").await;
    let asset = asset(&app, sale.product, "The guide", "books/guide.pdf").await;
    (dir, app, sale, asset)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_shows_the_callers_grants_newest_first() {
    let app = TestApp::spawn().await;
    let sale_a = sale(&app, "seller_1", "buyer_a", "digital").await;
    let first = asset(&app, sale_a.product, "Chapter 1", "c1.pdf").await;
    let second = asset(&app, sale_a.product, "Chapter 2", "c2.pdf").await;
    let old = grant(&app, &sale_a, first, |g| {
        g.created_at = Set(Utc::now() - TimeDelta::hours(1));
        g.max_downloads = Set(2);
        g.download_count = Set(2);
    })
    .await;
    let new = grant(&app, &sale_a, second, |_| {}).await;
    let sale_b = sale(&app, "seller_1", "buyer_b", "digital").await;
    let theirs = asset(&app, sale_b.product, "Not yours", "x.pdf").await;
    grant(&app, &sale_b, theirs, |_| {}).await;

    let (status, list) = body(app.get_as("buyer_a", "/api/account/downloads/").await).await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().expect("a plain array");
    assert_eq!(list.len(), 2, "only the caller's grants: {list:?}");
    let mut keys: Vec<&str> = list[0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = GRANT_KEYS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected);

    assert_eq!(list[0]["id"], json!(new.id));
    assert_eq!(list[0]["token"], json!(new.token.to_string()));
    assert_eq!(list[0]["asset"], json!(second));
    assert_eq!(list[0]["asset_title"], "Chapter 2");
    let product_name = products::Entity::find_by_id(sale_a.product)
        .one(&app.db)
        .await
        .expect("query")
        .expect("product")
        .name;
    assert_eq!(list[0]["product_name"], json!(product_name));
    assert_eq!(list[0]["order_item"], json!(sale_a.order_item));
    assert_eq!(list[0]["expires_at"], Value::Null);
    assert_eq!(list[0]["max_downloads"], 5);
    assert_eq!(list[0]["download_count"], 0);
    assert_eq!(list[0]["last_downloaded_at"], Value::Null);
    assert_eq!(list[0]["is_active"], true);
    assert_eq!(list[0]["can_download"], true);

    assert_eq!(list[1]["id"], json!(old.id));
    assert_eq!(list[1]["can_download"], false, "used up");
    assert!(list.iter().all(|g| g.get("file_path").is_none()));
    assert!(
        !list.iter().any(|g| g["asset_title"] == "Not yours"),
        "another buyer's grant is not listed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_needs_a_session() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::GET, "/api/account/downloads/")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 401);
    let response = app
        .request(
            Method::POST,
            &format!("/api/account/downloads/{}/access/", uuid::Uuid::new_v4()),
        )
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_reads_a_fixed_number_of_statements() {
    let app = TestApp::builder()
        .env("AUTH_IDENTITY_CACHE_SECONDS", "0")
        .start()
        .await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    let sale = sale(&app, "seller_q", "buyer_q", "digital").await;
    add_grants(&app, &sale, 0..2).await;
    let measure = || async {
        let before = app.queries();
        let (status, list) = body(app.get_as("buyer_q", "/api/account/downloads/").await).await;
        assert_eq!(status, 200);
        (app.queries() - before, list.as_array().map_or(0, Vec::len))
    };
    let (with_two, len) = measure().await;
    assert_eq!(len, 2);
    add_grants(&app, &sale, 2..20).await;
    let (with_twenty, len) = measure().await;
    assert_eq!(len, 20);
    assert_eq!(with_two, with_twenty, "no statement per grant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_elses_unknown_or_malformed_grant_is_404() {
    let (_dir, app, sale, asset) = local_sale("buyer_owner").await;
    let theirs = grant(&app, &sale, asset, |_| {}).await;

    for (user, token) in [
        ("buyer_other", theirs.token.to_string()),
        ("buyer_owner", uuid::Uuid::new_v4().to_string()),
        ("buyer_owner", "not-a-uuid".to_owned()),
    ] {
        let (status, answer) = use_grant(&app, user, &token).await;
        assert_eq!(status, 404, "{user} {token}: {answer}");
        assert!(answer.get("grant").is_none(), "nothing revealed: {answer}");
    }
    assert_eq!(stored(&app, theirs.id).await.download_count, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_counts_one_download_and_stops_at_the_limit() {
    let (_dir, app, sale, asset) = local_sale("buyer_limit").await;
    let row = grant(&app, &sale, asset, |g| g.max_downloads = Set(2)).await;
    let token = row.token.to_string();

    for expected in 1..=2 {
        let (status, answer) = use_grant(&app, "buyer_limit", &token).await;
        assert_eq!(status, 200, "{answer}");
        let url = answer["download_url"].as_str().expect("a URL");
        assert!(
            url.starts_with(&format!(
                "{}/api/downloads/local/books/guide.pdf?",
                app.address
            )),
            "{url}"
        );
        assert_eq!(answer["grant"]["download_count"], expected);
        assert_eq!(answer["grant"]["token"], json!(token));
        assert_eq!(answer["grant"]["can_download"], expected < 2);
        assert!(answer["grant"]["last_downloaded_at"].is_string());
    }
    let (status, answer) = use_grant(&app, "buyer_limit", &token).await;
    assert_eq!(status, 403, "{answer}");
    assert!(answer["detail"].is_string());
    assert_eq!(answer["grant"]["download_count"], 2);
    assert_eq!(answer["grant"]["can_download"], false);
    assert!(answer.get("download_url").is_none());
    let after = stored(&app, row.id).await;
    assert_eq!(after.download_count, 2);
    assert!(after.last_downloaded_at.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grant_with_no_limit_keeps_working() {
    let (_dir, app, sale, asset) = local_sale("buyer_unlimited").await;
    let row = grant(&app, &sale, asset, |g| {
        g.max_downloads = Set(0);
        g.download_count = Set(40);
    })
    .await;
    let (status, answer) = use_grant(&app, "buyer_unlimited", &row.token.to_string()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["grant"]["download_count"], 41);
    assert_eq!(answer["grant"]["can_download"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inactive_and_expired_grants_are_403_with_the_grant() {
    let (_dir, app, sale, asset) = local_sale("buyer_locked").await;
    let locked = grant(&app, &sale, asset, |g| g.is_active = Set(false)).await;
    let second = self::asset(&app, sale.product, "Second", "books/guide-2.pdf").await;
    let expired = grant(&app, &sale, second, |g| {
        g.expires_at = Set(Some(Utc::now() - TimeDelta::seconds(1)));
    })
    .await;

    for row in [&locked, &expired] {
        let (status, answer) = use_grant(&app, "buyer_locked", &row.token.to_string()).await;
        assert_eq!(status, 403, "{answer}");
        assert!(answer["detail"].as_str().is_some_and(|d| !d.is_empty()));
        assert_eq!(answer["grant"]["id"], json!(row.id));
        assert_eq!(answer["grant"]["can_download"], false);
        assert_eq!(answer["grant"]["download_count"], 0);
        assert_eq!(stored(&app, row.id).await.download_count, 0);
    }
    assert_eq!(
        body(app.get_as("buyer_locked", "/api/account/downloads/").await)
            .await
            .1[0]["is_active"],
        true,
        "the expired grant is still active, just not usable"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unconfigured_storage_is_503_and_costs_nothing() {
    // The test configuration has APP_DEBUG off and no ASSET_STORAGE_BACKEND.
    let app = TestApp::spawn().await;
    let sale = sale(&app, "seller_503", "buyer_503", "digital").await;
    let asset = asset(&app, sale.product, "Guide", "books/guide.pdf").await;
    let row = grant(&app, &sale, asset, |_| {}).await;

    let (status, answer) = use_grant(&app, "buyer_503", &row.token.to_string()).await;
    assert_eq!(status, 503, "{answer}");
    assert!(
        answer["detail"]
            .as_str()
            .is_some_and(|d| d.contains("ASSET_STORAGE_BACKEND")),
        "{answer}"
    );
    assert_eq!(stored(&app, row.id).await.download_count, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_without_keys_is_503_and_costs_nothing() {
    let app = TestApp::builder()
        .env("ASSET_STORAGE_BACKEND", "s3")
        .start()
        .await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    let sale = sale(&app, "seller_later", "buyer_later", "digital").await;
    let asset = asset(&app, sale.product, "Guide", "books/guide.pdf").await;
    let row = grant(&app, &sale, asset, |_| {}).await;

    let (status, answer) = use_grant(&app, "buyer_later", &row.token.to_string()).await;
    assert_eq!(status, 503, "{answer}");
    assert!(
        answer["detail"]
            .as_str()
            .is_some_and(|d| d.contains("ASSET_STORAGE_S3_ACCESS_KEY_ID")),
        "{answer}"
    );
    assert_eq!(stored(&app, row.id).await.download_count, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_file_is_502_and_costs_nothing() {
    let (dir, app, sale, _) = local_sale("buyer_502").await;
    let gone = asset(&app, sale.product, "Gone", "books/gone.pdf").await;
    let row = grant(&app, &sale, gone, |_| {}).await;

    let (status, answer) = use_grant(&app, "buyer_502", &row.token.to_string()).await;
    assert_eq!(status, 502, "{answer}");
    let detail = answer["detail"].as_str().expect("a detail");
    assert!(
        !detail.contains(dir.path().to_str().expect("utf-8")),
        "no server path in the body: {detail}"
    );
    assert_eq!(stored(&app, row.id).await.download_count, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_signed_url_downloads_the_file() {
    let (_dir, app, sale, asset) = local_sale("buyer_fetch").await;
    let row = grant(&app, &sale, asset, |_| {}).await;
    let (status, answer) = use_grant(&app, "buyer_fetch", &row.token.to_string()).await;
    assert_eq!(status, 200, "{answer}");
    let url = answer["download_url"].as_str().expect("a URL");

    // No session needed: the link is the credential.
    let response = app.client.get(url).send().await.expect("download");
    assert_eq!(response.status().as_u16(), 200);
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(disposition.contains("guide.pdf"), "{disposition}");
    let bytes = response.bytes().await.expect("bytes");
    assert_eq!(&bytes[..], b"%PDF-1.7 the guide");
    assert_eq!(
        stored(&app, row.id).await.download_count,
        1,
        "fetching the link does not count again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_expired_and_escaping_links_are_refused() {
    let (dir, app, sale, asset) = local_sale("buyer_tamper").await;
    put_file(dir.path(), "books/other.pdf", b"another file");
    put_file(dir.path(), "books/guide.txt", b"a text file");
    let row = grant(&app, &sale, asset, |_| {}).await;
    let (_, answer) = use_grant(&app, "buyer_tamper", &row.token.to_string()).await;
    let good = url::Url::parse(answer["download_url"].as_str().expect("a URL")).expect("URL");
    let query: Vec<(String, String)> = good.query_pairs().into_owned().collect();
    let (expires, signature) = (query[0].1.clone(), query[1].1.clone());
    let status = |path: String, expires: String, signature: String| {
        let app = &app;
        async move {
            app.client
                .get(app.url(&path))
                .query(&[("expires", expires), ("signature", signature)])
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }
    };
    let guide = "/api/downloads/local/books/guide.pdf".to_owned();
    assert_eq!(
        status(guide.clone(), expires.clone(), signature.clone()).await,
        200
    );

    let mut flipped: Vec<char> = signature.chars().collect();
    flipped[0] = if flipped[0] == 'A' { 'B' } else { 'A' };
    let flipped: String = flipped.into_iter().collect();
    assert_eq!(status(guide.clone(), expires.clone(), flipped).await, 403);
    assert_eq!(
        status(guide.clone(), expires.clone(), String::new()).await,
        403
    );
    let later = (expires.parse::<i64>().expect("a number") + 3600).to_string();
    assert_eq!(status(guide.clone(), later, signature.clone()).await, 403);
    assert_eq!(
        status(guide.clone(), "soon".into(), signature.clone()).await,
        403
    );
    for other in ["books/other.pdf", "books/guide.txt"] {
        let path = format!("/api/downloads/local/{other}");
        assert_eq!(status(path, expires.clone(), signature.clone()).await, 403);
    }
    let missing = app
        .client
        .get(app.url(&guide))
        .send()
        .await
        .expect("request");
    assert_eq!(missing.status().as_u16(), 403, "no signature at all");

    // A genuine signature whose time is up.
    let signer = LinkSigner::new(SECRET_KEY);
    let path = AssetPath::parse("books/guide.pdf").expect("path");
    let past = Utc::now().timestamp() - 1;
    let (code, answer) = body(
        app.client
            .get(app.url(&guide))
            .query(&[
                ("expires", past.to_string()),
                ("signature", signer.sign(&path, past)),
            ])
            .send()
            .await
            .expect("request"),
    )
    .await;
    assert_eq!(code, 403, "{answer}");
    assert!(
        answer["detail"]
            .as_str()
            .is_some_and(|d| d.contains("expired"))
    );

    // Paths that would leave the storage folder are never served, signed or not.
    put_file(
        dir.path().parent().expect("parent"),
        "secret.txt",
        b"outside",
    );
    // (`%2F` keeps the client from resolving the dots; the server decodes it.)
    for (raw, logical) in [
        ("/api/downloads/local/..%2Fsecret.txt", "../secret.txt"),
        (
            "/api/downloads/local/books%2F..%2F..%2Fsecret.txt",
            "books/../../secret.txt",
        ),
        ("/api/downloads/local/%2Fetc%2Fpasswd", "/etc/passwd"),
    ] {
        let future = Utc::now().timestamp() + 600;
        let forged = {
            use base64::Engine;
            use hmac::{Hmac, Mac};
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET_KEY.as_bytes()).expect("key");
            mac.update(format!("paidloop/local-asset-link/v1\n{logical}\n{future}").as_bytes());
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        };
        assert_eq!(
            status(raw.to_owned(), future.to_string(), forged).await,
            404,
            "{raw}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_links_are_not_served_when_local_storage_is_off() {
    let app = TestApp::spawn().await;
    let signer = LinkSigner::new(SECRET_KEY);
    let path = AssetPath::parse("books/guide.pdf").expect("path");
    let expires = Utc::now().timestamp() + 600;
    let response = app
        .client
        .get(app.url("/api/downloads/local/books/guide.pdf"))
        .query(&[
            ("expires", expires.to_string()),
            ("signature", signer.sign(&path, expires)),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_accesses_to_a_grant_of_five_succeed_five_times() {
    let (_dir, app, sale, asset) = local_sale("buyer_race").await;
    let row = grant(&app, &sale, asset, |g| g.max_downloads = Set(5)).await;
    let token = row.token.to_string();
    // One request first, so the twenty race on the grant, not on creating the profile.
    assert_eq!(
        app.get_as("buyer_race", "/api/account/downloads/")
            .await
            .status()
            .as_u16(),
        200
    );

    let attempts = (0..20).map(|_| use_grant(&app, "buyer_race", &token));
    let answers = futures_util::future::join_all(attempts).await;
    let ok = answers.iter().filter(|(status, _)| *status == 200).count();
    let refused = answers.iter().filter(|(status, _)| *status == 403).count();
    assert_eq!(
        (ok, refused),
        (5, 15),
        "{:?}",
        answers.iter().map(|(s, _)| s).collect::<Vec<_>>()
    );
    let mut counts: Vec<i64> = answers
        .iter()
        .filter(|(status, _)| *status == 200)
        .map(|(_, a)| a["grant"]["download_count"].as_i64().expect("count"))
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, [1, 2, 3, 4, 5], "each success counted once");
    assert_eq!(stored(&app, row.id).await.download_count, 5);
}
