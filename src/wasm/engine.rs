//! `Engine`: one user's session, for JS. Each method converts its arguments, calls one
//! [`crate::engine::Engine`] method and converts the result. Data crosses as plain objects
//! with the same snake_case fields as the JSON manifests and the server's API; amounts are
//! decimal strings; times are milliseconds since the epoch.

use crate::money::parse_decimal;
use crate::quoted::quoted;
use wasm_bindgen::prelude::*;

use super::checks::Checks;
use super::convert::{from_js, manifest_from_js, to_js as out};
use crate::checkout::{Confirmed, Intent, ManifestRef, ManifestRefs, Spend};
use crate::engine::{Engine as Core, State};
use crate::manifest::{Catalog, Contract, Manifests, Policy, User};
use crate::pricing::selections::QuoteArgs;
use crate::pricing::{AdviceRequest, Selection};
use crate::propensity::Model;
use crate::{Instant, Result};

#[wasm_bindgen(typescript_custom_section)]
const ENGINE_TS: &str = r#"
/** The version and digest of each manifest, as the server computed them: the `manifests` of `GET /v1/me/manifests`. */
export interface ManifestRefs { catalog: { version: string; digest: string }; contract: { version: string; digest: string }; policy: { version: string; digest: string } }
/**
 * The manifests, as objects or JSON text each; `refs`, their digests as the server gives them
 * (charge records carry them, so the server can tell other manifests by their content; without
 * them a record names the versions only, and the server compares those).
 */
export interface ManifestSet { catalog: object | string; contract: object | string; policy: object | string; model?: object | string | null; refs?: ManifestRefs | null }
/** A user: id, display name, attributes (department, role, region, ...). */
export interface InflowUser { id: string; name?: string; attributes: Record<string, string> }
/** A purchase or trial intent. */
export interface CheckoutIntent { id: string; module: string; plan?: string; quantity?: string; kind?: "purchase" | "trial"; offer?: string; surface?: string }
"#;

/// One user's session in the page.
#[wasm_bindgen]
pub struct Engine {
    core: Core,
    /// `check`'s answers while the session is unchanged: every `&mut` method goes through
    /// [`Engine::change`], which drops them.
    checks: Checks,
}

/// The refs a charge record names: the server's (`given`), each checked against the version of
/// the manifest it names; or, without them, the versions with no digest. The browser does not
/// hash the manifests itself: the server already has, and hashing in the page would cost a
/// serializer for every manifest type and SHA-256 in the wasm (~9 KB gzip) and time at start.
fn references(given: Option<ManifestRefs>, versions: [&str; 3]) -> Result<ManifestRefs> {
    let Some(refs) = given else {
        let unhashed = |version: &str| ManifestRef {
            version: version.to_string(),
            digest: String::new(),
        };
        return Ok(ManifestRefs {
            catalog: unhashed(versions[0]),
            contract: unhashed(versions[1]),
            policy: unhashed(versions[2]),
        });
    };
    let named = [
        ("catalog", &refs.catalog),
        ("contract", &refs.contract),
        ("policy", &refs.policy),
    ];
    for ((name, r), version) in named.into_iter().zip(versions) {
        if r.version != version {
            return Err(crate::Error::input(
                "refs",
                format!(
                    "refs.{name} is of version {} but the {name} is version {}: pass the refs the server gave with these manifests",
                    quoted(&r.version),
                    quoted(version)
                ),
            ));
        }
    }
    Ok(refs)
}

impl Engine {
    /// The session, to change: what `check` kept no longer holds.
    fn change(&mut self) -> &mut Core {
        self.checks.clear();
        &mut self.core
    }
}

#[wasm_bindgen]
impl Engine {
    /// A session for `user`, from the manifests, their saved state and the spend to date.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ManifestSet")] manifests: JsValue,
        #[wasm_bindgen(unchecked_param_type = "InflowUser")] user: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SessionState | undefined")] state: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | undefined")] spend: JsValue,
    ) -> Result<Engine, JsValue> {
        let get =
            |k: &str| js_sys::Reflect::get(&manifests, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let catalog: Catalog = manifest_from_js("catalog", &get("catalog"))?;
        let contract: Contract = manifest_from_js("contract", &get("contract"))?;
        let policy: Policy = manifest_from_js("policy", &get("policy"))?;
        let model_js = get("model");
        let model: Option<Model> = if model_js.is_undefined() || model_js.is_null() {
            None
        } else {
            Some(manifest_from_js("model", &model_js)?)
        };
        let refs_js = get("refs");
        let given: Option<ManifestRefs> = if refs_js.is_undefined() || refs_js.is_null() {
            None
        } else {
            Some(from_js("refs", &refs_js)?)
        };
        let refs = references(
            given,
            [&catalog.version, &contract.version, &policy.version],
        )?;
        let m = Manifests::new(catalog, contract, policy)?;
        let user: User = manifest_from_js("user", &user)?;
        let state: State = if state.is_undefined() || state.is_null() {
            State::default()
        } else {
            manifest_from_js("state", &state)?
        };
        let spend: Spend = if spend.is_undefined() || spend.is_null() {
            Spend::default()
        } else {
            from_js("spend", &spend)?
        };
        Ok(Engine {
            core: Core::new(m, user, state, model, refs, spend)?,
            checks: Checks::default(),
        })
    }

    /// The ranked, explained offers now, at most `max`.
    #[wasm_bindgen(unchecked_return_type = "Offer[]")]
    pub fn offers(&mut self, max: u32, now: f64) -> Result<JsValue, JsValue> {
        out(&self.change().offers(max as usize, Instant(now as i64))?)
    }

    /// A quote of `{ selections: [{module, plan?, quantity?}] }` in the user's currency.
    #[wasm_bindgen(unchecked_return_type = "Quote")]
    pub fn quote(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ selections: { module: string; plan?: string; quantity?: string }[] }"
        )]
        args: JsValue,
        now: f64,
    ) -> Result<JsValue, JsValue> {
        let args: QuoteArgs = from_js("quote", &args)?;
        let selections = args.selections.into_iter().map(Selection::from).collect();
        out(&self.core.quote(selections, Instant(now as i64), None)?)
    }

    /// Whether the user may use `feature` now, and how much is left. The object is frozen,
    /// and the same one while the day and the session are unchanged.
    #[wasm_bindgen(unchecked_return_type = "Check")]
    pub fn check(&self, feature: &str, now: f64) -> Result<JsValue, JsValue> {
        let now = Instant(now as i64);
        self.checks.get_or(feature, now.date(), || {
            out(&self.core.check(feature, now)?)
        })
    }

    /// Just whether the user may use `feature` now: the hot path for gates and buttons,
    /// with no object built (use `check` for the reason and what is left).
    pub fn allowed(&self, feature: &str, now: f64) -> Result<bool, JsValue> {
        Ok(self.core.check(feature, Instant(now as i64))?.allowed)
    }

    /// What the propensity model would suggest now, at most `max`, ranked and explained,
    /// without pricing or funding (previews, measurements).
    #[wasm_bindgen(unchecked_return_type = "Suggestion[]")]
    pub fn suggest(&self, max: u32, now: f64) -> Result<JsValue, JsValue> {
        out(&self.core.suggest(max as usize, Instant(now as i64)))
    }

    /// Records `amount` (a decimal string) of use of `feature`; throws `limit_exceeded` when refused.
    #[wasm_bindgen(js_name = recordUsage, unchecked_return_type = "Check")]
    pub fn record_usage(
        &mut self,
        feature: &str,
        amount: &str,
        now: f64,
    ) -> Result<JsValue, JsValue> {
        let amount = parse_decimal(amount).ok_or_else(|| {
            crate::Error::input(
                "amount",
                format!("{} is not a decimal number", quoted(amount)),
            )
        })?;
        out(&self
            .change()
            .record_usage(feature, amount, Instant(now as i64))?)
    }

    /// The user dismissed the offer of `module`.
    pub fn dismiss(&mut self, module: &str, now: f64) -> Result<(), JsValue> {
        Ok(self.change().dismiss(module, Instant(now as i64))?)
    }

    /// The charge record for a purchase or trial intent.
    #[wasm_bindgen(unchecked_return_type = "ChargeRecord")]
    pub fn checkout(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CheckoutIntent")] intent: JsValue,
        now: f64,
    ) -> Result<JsValue, JsValue> {
        let intent: Intent = manifest_from_js("intent", &intent)?;
        out(&self.core.checkout(&intent, Instant(now as i64))?)
    }

    /// Applies a confirmed charge record; returns the grant it made, or null. Only what
    /// applying needs is read of it (`Confirmed`): the rest, the money included, is the
    /// server's to verify.
    #[wasm_bindgen(unchecked_return_type = "Grant | null")]
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ChargeRecord")] record: JsValue,
    ) -> Result<JsValue, JsValue> {
        let record: Confirmed = manifest_from_js("record", &record)?;
        out(&self.change().apply_confirmed(&record)?)
    }

    /// Replaces the user's grants (for example with the server's list).
    #[wasm_bindgen(js_name = setGrants)]
    pub fn set_grants(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Grant[]")] grants: JsValue,
    ) -> Result<(), JsValue> {
        Ok(self
            .change()
            .set_grants(manifest_from_js("grants", &grants)?)?)
    }

    /// Modules the user owns now.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn owned(&self, now: f64) -> Result<JsValue, JsValue> {
        out(&self.core.owned(Instant(now as i64)))
    }

    /// Best-plan advice for a usage history.
    #[wasm_bindgen(unchecked_return_type = "Advice")]
    pub fn advise(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AdviceRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request: AdviceRequest = manifest_from_js("advice", &request)?;
        out(&self.core.advise(&request)?)
    }

    /// The state to persist for this user.
    #[wasm_bindgen(unchecked_return_type = "SessionState")]
    pub fn state(&self) -> Result<JsValue, JsValue> {
        out(&self.core.state())
    }
}
