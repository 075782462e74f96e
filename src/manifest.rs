//! The manifests: typed, versioned JSON documents, loaded and validated together.
//!
//! - [`Catalog`]: the supplier's modules, features and price plans;
//! - [`Contract`]: one customer's negotiated prices, discounts and funding sources;
//! - [`Policy`]: the customer's department admins' communities and what each may buy;
//! - [`Directory`]: the customer's users and their attributes (the demo's, or a host's).
//!
//! [`Manifests::new`] validates the three together and reports every problem at once,
//! each with its JSON path, what is wrong and what was expected.

pub mod catalog;
pub mod contract;
pub mod policy;
pub mod users;
mod validate;

#[cfg(any(feature = "json", target_arch = "wasm32"))]
pub mod json;

#[cfg(feature = "schema")]
pub mod schema;

use crate::collections::Map;
use crate::ErrorKind;

pub use catalog::*;
pub use contract::*;
pub use policy::*;
pub use users::*;

use crate::error::Result;

/// The schema of a decimal amount in a manifest: a string (`"22.50"`) or a JSON number.
/// Strings keep every digit; numbers are read through their shortest decimal form.
#[cfg(feature = "schema")]
pub(crate) struct DecimalSchema;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for DecimalSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact decimal, best written as a string (\"22.50\").",
            "anyOf": [
                { "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" },
                { "type": "number" }
            ]
        })
    }
}

/// The three manifests a session prices and decides from, validated together.
///
/// Built only by [`Manifests::new`], so holding one means it passed validation.
#[derive(Debug, Clone)]
pub struct Manifests {
    catalog: Catalog,
    contract: Contract,
    policy: Policy,
    module_index: Map<String, usize>,
    feature_index: Map<String, usize>,
}

impl Manifests {
    /// Validates the catalog, the contract and the policy, alone and against each other.
    ///
    /// # Errors
    /// [`ErrorKind::Manifest`] listing every problem found, each with its JSON path.
    pub fn new(catalog: Catalog, contract: Contract, policy: Policy) -> Result<Manifests> {
        let problems = validate::all(&catalog, &contract, &policy);
        if !problems.is_empty() {
            return Err(ErrorKind::Manifest(problems).into());
        }
        let module_index = catalog
            .modules
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        let feature_index = catalog
            .features
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.clone(), i))
            .collect();
        Ok(Manifests {
            catalog,
            contract,
            policy,
            module_index,
            feature_index,
        })
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The contract.
    pub fn contract(&self) -> &Contract {
        &self.contract
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The module with this id.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownModule`].
    pub fn module(&self, id: &str) -> Result<&Module> {
        self.module_index
            .get(id)
            .and_then(|&i| self.catalog.modules.get(i))
            .ok_or_else(|| ErrorKind::UnknownModule(id.to_string()).into())
    }

    /// The feature with this id.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownFeature`].
    pub fn feature(&self, id: &str) -> Result<&Feature> {
        self.feature_index
            .get(id)
            .and_then(|&i| self.catalog.features.get(i))
            .ok_or_else(|| ErrorKind::UnknownFeature(id.to_string()).into())
    }

    /// Replaces the policy (an admin's change), validating it against the catalog and contract.
    ///
    /// # Errors
    /// [`ErrorKind::Manifest`] listing every problem; `self` is unchanged then.
    pub fn with_policy(&self, policy: Policy) -> Result<Manifests> {
        Manifests::new(self.catalog.clone(), self.contract.clone(), policy)
    }

    /// The currency `user` buys in: that of the first contract entity whose members
    /// include them (a subsidiary), else the contract's.
    pub fn currency_for(&self, user: &User) -> crate::money::Currency {
        self.contract
            .entities
            .iter()
            .find(|e| e.members.matches(&user.attributes))
            .map_or(self.contract.currency, |e| e.currency)
    }

    /// The versions of the three documents: (catalog, contract, policy).
    pub fn versions(&self) -> (&str, &str, &str) {
        (
            &self.catalog.version,
            &self.contract.version,
            &self.policy.version,
        )
    }
}

/// Validates a catalog on its own (for `inflow check` on one file).
///
/// # Errors
/// [`ErrorKind::Manifest`] listing every problem.
pub fn check_catalog(catalog: &Catalog) -> Result<()> {
    problems_to_result(validate::catalog(catalog))
}

/// Validates a contract against a catalog.
///
/// # Errors
/// [`ErrorKind::Manifest`] listing every problem.
pub fn check_contract(catalog: &Catalog, contract: &Contract) -> Result<()> {
    problems_to_result(validate::contract(catalog, contract))
}

/// Validates a policy against a catalog and a contract.
///
/// # Errors
/// [`ErrorKind::Manifest`] listing every problem.
pub fn check_policy(catalog: &Catalog, contract: &Contract, policy: &Policy) -> Result<()> {
    problems_to_result(validate::policy(catalog, contract, policy))
}

/// Validates whichever of the three manifests are at hand, each alone and, where two or
/// three are given, against each other (what `inflow check` does with the files it gets).
/// With all three given it finds what [`Manifests::new`] finds.
///
/// # Errors
/// [`ErrorKind::Manifest`] listing every problem.
pub fn check_some(
    catalog: Option<&Catalog>,
    contract: Option<&Contract>,
    policy: Option<&Policy>,
) -> Result<()> {
    problems_to_result(validate::some(catalog, contract, policy))
}

/// Validates a user directory.
///
/// # Errors
/// [`ErrorKind::Manifest`] listing every problem.
pub fn check_directory(directory: &Directory) -> Result<()> {
    problems_to_result(validate::directory(directory))
}

fn problems_to_result(problems: Vec<crate::error::Problem>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ErrorKind::Manifest(problems).into())
    }
}
