//! The built SPA served from `FRONTEND_DIST_DIR`: files, history fallback, cache
//! headers and the Content-Security-Policy; the API keeps its own answers.

use reqwest::Method;

use crate::helpers::{TestApp, body};

const INDEX: &str = "<!doctype html><html><body><div id=\"root\"></div>\
                     <script type=\"module\" src=\"/assets/index-abc123.js\"></script></body></html>";
const SCRIPT: &str = "console.log('paidloop');";

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("assets")).unwrap();
    std::fs::write(dir.path().join("index.html"), INDEX).unwrap();
    std::fs::write(dir.path().join("assets/index-abc123.js"), SCRIPT).unwrap();
    std::fs::write(dir.path().join("favicon.svg"), "<svg/>").unwrap();
    std::fs::write(dir.path().join(".secret"), "hidden").unwrap();
    dir
}

async fn spa_app(dir: &tempfile::TempDir) -> TestApp {
    TestApp::builder()
        .env("FRONTEND_DIST_DIR", dir.path().to_str().unwrap())
        .start()
        .await
}

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_and_client_routes_get_the_page_uncached_with_a_strict_policy() {
    let dir = dist();
    let app = spa_app(&dir).await;
    for path in [
        "/",
        "/products/launch-playbook",
        "/account/downloads",
        "/%2e%2e/Cargo.toml",
    ] {
        let res = app.request(Method::GET, path).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            header(&res, "content-type").starts_with("text/html"),
            "{path}"
        );
        assert_eq!(header(&res, "cache-control"), "no-cache", "{path}");
        let csp = header(&res, "content-security-policy").to_owned();
        assert!(csp.contains("script-src 'self';"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(res.text().await.unwrap(), INDEX, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashed_assets_are_immutable_and_missing_ones_are_404() {
    let dir = dist();
    let app = spa_app(&dir).await;
    let res = app
        .request(Method::GET, "/assets/index-abc123.js")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(header(&res, "content-type").contains("javascript"));
    assert_eq!(
        header(&res, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.text().await.unwrap(), SCRIPT);

    let res = app
        .request(Method::GET, "/favicon.svg")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "cache-control"), "no-cache");

    let res = app
        .request(Method::GET, "/assets/gone-000.js")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // Hidden files are never served; the path falls back to the page.
    let res = app.request(Method::GET, "/.secret").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), INDEX);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_wins_over_the_spa() {
    let dir = dist();
    let app = spa_app(&dir).await;
    let (status, health) = body(
        app.request(Method::GET, "/api/health/")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");

    let (status, missing) = body(
        app.request(Method::GET, "/api/no-such-thing/")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(missing["detail"], "Not found.");

    // Only GET and HEAD reach the page; other methods on app paths stay 404.
    let (status, _) = body(app.request(Method::POST, "/products").send().await.unwrap()).await;
    assert_eq!(status, 404);
    let res = app.request(Method::HEAD, "/pricing").send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_built_spa_nothing_outside_the_api_is_served() {
    let empty = tempfile::tempdir().unwrap();
    let app = spa_app(&empty).await;
    let (status, _) = body(app.request(Method::GET, "/").send().await.unwrap()).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_domain_widens_the_policy_to_clerk_only() {
    let dir = dist();
    let app = TestApp::builder()
        .env("FRONTEND_DIST_DIR", dir.path().to_str().unwrap())
        .env("CLERK_DOMAIN", "clerk.shop.test")
        .start()
        .await;
    let res = app.request(Method::GET, "/").send().await.unwrap();
    let csp = header(&res, "content-security-policy");
    assert!(
        csp.contains(
            "script-src 'self' https://clerk.shop.test https://challenges.cloudflare.com;"
        ),
        "{csp}"
    );
    assert!(
        csp.contains("connect-src 'self' https://clerk.shop.test;"),
        "{csp}"
    );
}
