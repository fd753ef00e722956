//! `account/downloads/…`: the caller's download grants and using one; and
//! `downloads/local/{path}`, where the embedded local storage serves the files its
//! signed links point at (no session: the link is the credential).

use actix_files::NamedFile;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;
use url::Url;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::services::downloads::{self, Access};
use crate::services::storage::ConfiguredStorage;
use crate::state::AppState;
use crate::views::downloads::GrantView;

/// `GET account/downloads/`: newest first.
pub async fn list(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let rows = downloads::list_grants(&state.db, user.account.id).await?;
    let now = Utc::now();
    Ok(HttpResponse::Ok().json(
        rows.iter()
            .map(|row| GrantView::new(row, now))
            .collect::<Vec<_>>(),
    ))
}

/// `POST account/downloads/{token}/access/`: a signed URL, one download counted.
pub async fn access(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    token: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let info = req.connection_info().clone();
    // Local links point back at this server, as the caller reached it.
    let base_url = Url::parse(&format!("{}://{}", info.scheme(), info.host()))
        .map_err(|_| ApiError::BadRequest("Invalid Host header.".into()))?;
    let config = &state.config;
    let storage = ConfiguredStorage::from_config(&config.storage, config.secret_key(), base_url);
    let outcome = downloads::access(
        &state.db,
        &storage,
        config.storage.signed_url_ttl,
        user.account.id,
        *token,
    )
    .await?;
    let now = Utc::now();
    match outcome {
        Access::Granted {
            download_url,
            grant,
        } => Ok(HttpResponse::Ok().json(json!({
            "download_url": download_url,
            "grant": GrantView::new(&grant, now),
        }))),
        Access::Refused(grant) => Err(ApiError::WithBody(
            StatusCode::FORBIDDEN,
            json!({
                "detail": "Download grant is inactive, expired, or out of attempts.",
                "grant": GrantView::new(&grant, now),
            }),
        )),
    }
}

/// The query of a local download link.
#[derive(Debug, Deserialize)]
pub struct LinkQuery {
    /// Unix seconds after which the link is refused.
    expires: Option<String>,
    /// Unpadded base64url HMAC-SHA256 of the path and expiry.
    signature: Option<String>,
}

/// `GET downloads/local/{path}?expires=…&signature=…`: the file, as an attachment.
///
/// 404 unless the local storage is the configured backend, for a path that could leave
/// its folder, and for a missing file; 403 for a bad signature or an expired link.
pub async fn local(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<LinkQuery>,
) -> Result<HttpResponse, ApiError> {
    let config = &state.config;
    if config.storage.backend.as_deref() != Some("local") {
        return Err(ApiError::NotFound);
    }
    let file = downloads::local_file(
        &config.storage.local_dir,
        config.secret_key(),
        &path,
        query.expires.as_deref(),
        query.signature.as_deref(),
        Utc::now().timestamp(),
    )?;
    let file = NamedFile::open_async(&file)
        .await
        .map_err(|_| ApiError::NotFound)?;
    if !file.metadata().is_file() {
        return Err(ApiError::NotFound);
    }
    let mut disposition = file.content_disposition().clone();
    disposition.disposition = DispositionType::Attachment;
    let mut response = file
        .set_content_disposition(disposition)
        .into_response(&req);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
