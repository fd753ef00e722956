//! Serving the built SPA (`FRONTEND_DIST_DIR`), so one process serves everything.
//!
//! Registered after the API, as a catch-all `GET`/`HEAD` resource: `/api/…` never
//! reaches it (the API scope answers, 404 included). A path naming a file under the
//! folder gets that file; any other path gets `index.html` (history fallback), except
//! under `/assets/`, where a missing file is a 404 rather than a page of HTML.
//! Hashed build output under `/assets/` is cached for a year (`immutable`); everything
//! else, `index.html` first, is revalidated on every use (`no-cache`). Every response
//! carries a strict Content-Security-Policy: scripts, styles and connections from this
//! origin only (no inline scripts), widened to Clerk's hosts when `CLERK_DOMAIN` is set.

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::config::Config;

/// `Cache-Control` for content-hashed files under `/assets/`.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` for `index.html` and the other unhashed files.
pub const NO_CACHE: &str = "no-cache";

/// The folder being served and the policy its responses carry.
#[derive(Debug, Clone)]
pub struct Spa {
    root: PathBuf,
    csp: HeaderValue,
}

impl Spa {
    /// The SPA of this configuration: `None` when `FRONTEND_DIST_DIR` is unset or has
    /// no `index.html`.
    pub fn from_config(config: &Config) -> Option<Self> {
        let root = PathBuf::from(config.app.frontend_dist_dir.as_deref()?);
        if !root.join("index.html").is_file() {
            tracing::warn!(dir = %root.display(), "FRONTEND_DIST_DIR has no index.html; not serving the SPA");
            return None;
        }
        let csp =
            HeaderValue::from_str(&content_security_policy(config.clerk.domain.as_deref())).ok()?;
        Some(Self { root, csp })
    }

    /// The file a request path names, when it is a safe relative path to a file.
    fn file_for(&self, path: &str) -> Option<PathBuf> {
        let mut file = self.root.clone();
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            if segment.starts_with('.') || segment.contains(['\\', '\0']) {
                return None;
            }
            file.push(segment);
        }
        file.is_file().then_some(file)
    }
}

/// The policy for SPA responses. With a Clerk Frontend API host, its scripts, API and
/// images are allowed, with inline styles (Clerk's components inject them) and the
/// bot-protection frame.
pub fn content_security_policy(clerk_domain: Option<&str>) -> String {
    let clerk = clerk_domain
        .map(|d| {
            d.trim()
                .trim_start_matches("https://")
                .trim_end_matches('/')
        })
        .filter(|d| {
            !d.is_empty()
                && d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        });
    match clerk {
        None => "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
                 form-action 'self'; frame-ancestors 'none'"
            .to_owned(),
        Some(host) => format!(
            "default-src 'self'; script-src 'self' https://{host} https://challenges.cloudflare.com; \
             style-src 'self' 'unsafe-inline'; img-src 'self' data: https://img.clerk.com; \
             font-src 'self'; connect-src 'self' https://{host}; \
             frame-src https://challenges.cloudflare.com; worker-src 'self' blob:; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        ),
    }
}

/// Registers the SPA catch-all when the configuration names a built SPA; else nothing.
pub fn configure(cfg: &mut web::ServiceConfig, config: &Config) {
    let Some(spa) = Spa::from_config(config) else {
        return;
    };
    tracing::info!(dir = %spa.root.display(), "serving the SPA");
    cfg.service(
        web::resource("/{tail:.*}")
            .app_data(web::Data::new(spa))
            .route(web::get().to(serve))
            .route(web::head().to(serve))
            .default_service(web::to(HttpResponse::NotFound)),
    );
}

async fn serve(req: HttpRequest, spa: web::Data<Spa>) -> HttpResponse {
    let path = req.path();
    if path == "/api" || path.starts_with("/api/") {
        return HttpResponse::NotFound().finish();
    }
    let is_asset = path.starts_with("/assets/");
    let file = match spa.file_for(path) {
        Some(file) => file,
        None if is_asset => return HttpResponse::NotFound().finish(),
        None => spa.root.join("index.html"),
    };
    let cache = if is_asset && !is_index(&file) {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    let mut res = match NamedFile::open_async(&file).await {
        Ok(named) => named.disable_content_disposition().into_response(&req),
        Err(err) => {
            tracing::error!(file = %file.display(), error = %err, "cannot open an SPA file");
            return HttpResponse::NotFound().finish();
        }
    };
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::CONTENT_SECURITY_POLICY, spa.csp.clone());
    res
}

fn is_index(file: &Path) -> bool {
    file.file_name().is_some_and(|name| name == "index.html")
}
