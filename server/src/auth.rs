//! Signed session tokens: `base64url(claims JSON) "." base64url(HMAC-SHA256(secret, claims))`.
//! A user acts only as themself; an admin only on their own departments.

use std::path::Path;

use anyhow::Context;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use inflow::manifest::User;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// A user or a department admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Acts as themself only.
    User,
    /// May also approve, cancel and export for their departments.
    Admin,
}

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub user: String,
    /// User or admin.
    pub role: Role,
    /// The departments an admin administers (the user's own for a user).
    pub departments: Vec<String>,
    /// Expiry, seconds since the Unix epoch.
    pub exp: i64,
}

impl Claims {
    /// The claims for `user` valid until `exp`: admins are users whose `role` attribute is
    /// `admin` or ends in `-admin`; their department is the one they administer.
    pub fn for_user(user: &User, exp: i64) -> Claims {
        let role = user
            .attributes
            .get("role")
            .map(String::as_str)
            .unwrap_or_default();
        let admin = role == "admin" || role.ends_with("-admin");
        Claims {
            user: user.id.clone(),
            role: if admin { Role::Admin } else { Role::User },
            departments: vec![user.department().to_string()],
            exp,
        }
    }

    /// True for an admin of `department`.
    pub fn administers(&self, department: &str) -> bool {
        self.role == Role::Admin && self.departments.iter().any(|d| d == department)
    }
}

/// Why a token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not well-formed, or not signed with this deployment's secret.
    Forged,
    /// Signed, but past its expiry.
    Expired,
}

impl TokenError {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            TokenError::Forged => "forged_token",
            TokenError::Expired => "token_expired",
        }
    }
}

/// Signs `claims`.
pub fn mint(secret: &[u8], claims: &Claims) -> anyhow::Result<String> {
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims)?);
    let mut mac = HmacSha256::new_from_slice(secret).context("the token secret is empty")?;
    mac.update(payload.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    Ok(format!("{payload}.{signature}"))
}

/// Checks `token`'s signature (in constant time) and expiry at `now` (seconds).
///
/// # Errors
/// [`TokenError`].
pub fn verify(secret: &[u8], token: &str, now: i64) -> Result<Claims, TokenError> {
    let (payload, signature) = token.split_once('.').ok_or(TokenError::Forged)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| TokenError::Forged)?;
    let mut mac = HmacSha256::new_from_slice(secret).map_err(|_| TokenError::Forged)?;
    mac.update(payload.as_bytes());
    mac.verify_slice(&signature)
        .map_err(|_| TokenError::Forged)?;
    let json = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| TokenError::Forged)?;
    let claims: Claims = serde_json::from_slice(&json).map_err(|_| TokenError::Forged)?;
    if claims.exp <= now {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

/// The deployment's secret: `given` (from --secret or INFLOW_SECRET) when set, else the
/// one stored in `dir/secret`, generated there on first run.
///
/// # Errors
/// When the file cannot be read or written; the message says what to do.
pub fn secret(given: Option<&str>, dir: &Path) -> anyhow::Result<Vec<u8>> {
    if let Some(s) = given.filter(|s| !s.is_empty()) {
        return Ok(s.as_bytes().to_vec());
    }
    let path = dir.join("secret");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let text = text.trim();
        if !text.is_empty() {
            return Ok(text.as_bytes().to_vec());
        }
    }
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| anyhow::anyhow!("no randomness for the token secret ({e}): pass --secret"))?;
    let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&path, &text))
        .with_context(|| {
            format!(
                "cannot store the token secret in {}: pass --secret or INFLOW_SECRET",
                path.display()
            )
        })?;
    Ok(text.into_bytes())
}

/// Parses a duration such as `8h`, `30m`, `2d`, `90s` into seconds.
///
/// # Errors
/// When it is not a number followed by s, m, h or d.
pub fn parse_ttl(text: &str) -> anyhow::Result<i64> {
    let (n, unit) = text.split_at(text.len().saturating_sub(1));
    let n: i64 = n
        .parse()
        .with_context(|| format!("{text:?} is not a duration: write e.g. 8h, 30m, 2d"))?;
    let mult = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => anyhow::bail!("{text:?} is not a duration: end it with s, m, h or d"),
    };
    n.checked_mul(mult)
        .filter(|s| *s > 0)
        .with_context(|| format!("{text:?} is out of range: use a positive duration"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims {
            user: "u-1".into(),
            role: Role::User,
            departments: vec!["sales".into()],
            exp,
        }
    }

    #[test]
    fn a_minted_token_verifies_and_a_changed_one_does_not() {
        let t = mint(b"k", &claims(100)).unwrap();
        assert_eq!(verify(b"k", &t, 99).unwrap(), claims(100));
        assert_eq!(verify(b"k", &t, 100), Err(TokenError::Expired));
        assert_eq!(verify(b"other", &t, 1), Err(TokenError::Forged));
        let forged = mint(
            b"other",
            &Claims {
                role: Role::Admin,
                ..claims(100)
            },
        )
        .unwrap();
        let (p, _) = forged.split_once('.').unwrap();
        let (_, s) = t.split_once('.').unwrap();
        assert_eq!(
            verify(b"k", &format!("{p}.{s}"), 1),
            Err(TokenError::Forged)
        );
        assert_eq!(verify(b"k", "garbage", 1), Err(TokenError::Forged));
    }

    #[test]
    fn ttl_parses() {
        assert_eq!(parse_ttl("8h").unwrap(), 28_800);
        assert!(parse_ttl("8x").is_err());
        assert!(parse_ttl("").is_err());
    }
}
