//! The session: `Authorization: Bearer TOKEN`, verified against the deployment's secret.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::StatusCode;

use super::error::ApiError;
use crate::auth::{self, Claims};
use crate::clock;
use crate::state::AppState;

/// The verified claims of the caller.
#[derive(Debug, Clone)]
pub struct Session(pub Claims);

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    "send Authorization: Bearer TOKEN (mint one with `inflow token --user ID`)",
                )
            })?;
        let token = header
            .strip_prefix("Bearer ")
            .ok_or(auth::TokenError::Forged)?;
        Ok(Session(auth::verify(
            &state.secret,
            token.trim(),
            clock::now_secs(),
        )?))
    }
}
