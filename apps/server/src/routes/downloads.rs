//! `account/downloads/…`: the caller's download grants and using one; and
//! `downloads/local/{path}`, where the embedded local storage serves the files its
//! signed links point at (no session: the link is the credential).

use actix_files::NamedFile;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, OpenApi, ToSchema};
use uuid::Uuid;

use crate::auth::{CurrentUser, Session};
use crate::error::ApiError;
use crate::http::client_ip::public_origin;
use crate::openapi::errors::ErrorDetail;
use crate::services::downloads::{self, Access};
use crate::state::AppState;
use crate::views::downloads::GrantView;

/// `GET account/downloads/`: newest first.
#[utoipa::path(
    get,
    path = "/api/account/downloads/",
    operation_id = "list_download_grants",
    tag = "downloads",
    summary = "The caller's download grants, newest first",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The grants.", body = Vec<GrantView>)),
)]
pub async fn list(state: web::Data<AppState>, session: Session) -> Result<HttpResponse, ApiError> {
    let db = state.one_connection();
    let account = session.user(&state, &db).await?.account.id;
    let rows = downloads::list_grants(&db, account).await?;
    let now = Utc::now();
    Ok(HttpResponse::Ok().json(
        rows.iter()
            .map(|row| GrantView::new(row, now))
            .collect::<Vec<_>>(),
    ))
}

/// The answer of `account/downloads/{token}/access/`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DownloadAccess<'a> {
    /// A signed link to the file, valid for `ASSET_STORAGE_SIGNED_URL_TTL_SECONDS`.
    pub download_url: String,
    /// The grant, with this download counted.
    pub grant: GrantView<'a>,
}

/// The 403 of `access/`: why, and, when the grant itself is the reason, the grant as it
/// stands (a cookie request refused by the CSRF check carries no grant).
#[derive(Debug, Serialize, ToSchema)]
pub struct RefusedGrant<'a> {
    /// Why.
    pub detail: &'static str,
    /// The grant (inactive, expired, or out of downloads).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub grant: Option<GrantView<'a>>,
}

/// `POST account/downloads/{token}/access/`: a signed URL, one download counted.
#[utoipa::path(
    post,
    path = "/api/account/downloads/{token}/access/",
    operation_id = "access_download",
    tag = "downloads",
    summary = "Use a grant: a signed download link, one download counted",
    params(("token" = Uuid, Path, description = "The grant's token.")),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "A signed link.", body = DownloadAccess),
        (status = 403, description = "The grant is inactive, expired or out of downloads (or a CSRF failure).", body = RefusedGrant),
        (status = 502, description = "The asset storage failed; no download was counted.", body = ErrorDetail),
        (status = 503, description = "No asset storage is configured; no download was counted.", body = ErrorDetail),
    ),
)]
pub async fn access(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    token: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    // Local links point back at this server, as the client reached it.
    let base_url = public_origin(&req, &state.config)?;
    let config = &state.config;
    let storage = state
        .integrations
        .storage
        .for_request(config.secret_key(), base_url);
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
        } => Ok(HttpResponse::Ok().json(DownloadAccess {
            download_url,
            grant: GrantView::new(&grant, now),
        })),
        Access::Refused(grant) => Err(ApiError::WithBody(
            StatusCode::FORBIDDEN,
            json!(RefusedGrant {
                detail: "Download grant is inactive, expired, or out of attempts.",
                grant: Some(GrantView::new(&grant, now)),
            }),
        )),
    }
}

/// The query of a local download link.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
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
#[utoipa::path(
    get,
    path = "/api/downloads/local/{path}",
    operation_id = "local_download",
    tag = "downloads",
    summary = "A file of the local asset storage, through a signed link",
    description = "The links `account/downloads/{token}/access/` hands out when the asset \
                   storage is the embedded local folder; the signature is the credential.",
    params(
        ("path" = String, Path, description = "The asset's path in the storage."),
        LinkQuery,
    ),
    responses(
        (status = 200, description = "The file, as an attachment.", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 403, description = "The signature is wrong or the link expired.", body = ErrorDetail),
    ),
)]
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

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(list, access, local))]
pub struct Api;
