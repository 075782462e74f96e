//! API errors: `{"error": {"code", "message"}}` with a fitting HTTP status; every message
//! says what to do next.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use inflow::checkout::Refusal;
use serde_json::json;

use crate::auth::TokenError;

/// An error answered to a client.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code.
    pub code: &'static str,
    /// What went wrong and what to do.
    pub message: String,
}

impl ApiError {
    /// A failure of the server's own (500, `internal`): the cause, and that it is a bug to report.
    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("{e}: report this"),
        )
    }

    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 404.
    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", what)
    }

    /// 403.
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, code, message)
    }

    /// 400.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": { "code": self.code, "message": self.message } });
        (self.status, Json(body)).into_response()
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            format!("the ledger could not be updated ({e}); nothing was recorded: retry later"),
        )
    }
}

impl From<TokenError> for ApiError {
    fn from(e: TokenError) -> ApiError {
        let message = match e {
            TokenError::Forged => "the session token is not valid here: sign in again",
            TokenError::Expired => "the session token has expired: sign in again",
        };
        ApiError::new(StatusCode::UNAUTHORIZED, e.code(), message)
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> ApiError {
        let status = match r {
            Refusal::NotYourself
            | Refusal::NotOffered { .. }
            | Refusal::FundingNotAllowed { .. } => StatusCode::FORBIDDEN,
            Refusal::StaleManifest { .. } => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::new(status, r.code(), r.to_string())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("a stored value could not be read ({e}): report this to the operator"),
        )
    }
}
