//! Rules for a user directory.

use crate::error::Problem;
use crate::manifest::Directory;

use super::{not_empty, unique};

/// Checks a directory: a version, a customer, unique non-blank user ids.
pub(super) fn check(out: &mut Vec<Problem>, directory: &Directory) {
    not_empty(out, "directory.version", &directory.version);
    not_empty(out, "directory.customer", &directory.customer);
    unique(
        out,
        "directory.users",
        "id",
        "user id",
        directory.users.iter().map(|u| u.id.as_str()),
    );
    for (i, u) in directory.users.iter().enumerate() {
        not_empty(out, format!("directory.users[{i}].id"), &u.id);
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, paths};
    use super::*;

    #[test]
    fn duplicate_and_empty_user_ids() {
        let mut d = fixture::directory();
        d.users.push(d.users[0].clone());
        d.users[1].id = String::new();
        d.customer = String::new();
        let mut out = Vec::new();
        check(&mut out, &d);
        assert_eq!(
            paths(&out),
            [
                "directory.customer",
                "directory.users[2].id",
                "directory.users[1].id"
            ]
        );
        assert_eq!(
            out[1].message,
            "duplicate user id \"u1\": directory.users[0] already uses it"
        );
    }
}
