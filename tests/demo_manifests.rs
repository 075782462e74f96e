//! The demo scenario's manifests load, validate and say what SCENARIO promises.

#![cfg(feature = "json")]

mod common;

use common::demo;

#[test]
fn demo_manifests_load_and_validate() {
    let (m, users) = demo();
    inflow::manifest::check_directory(&users).unwrap();
    assert_eq!(m.catalog().supplier.name, "Larkspur Analytics");
    // Twelve modules and one bundle.
    assert_eq!(m.catalog().modules.len(), 13);
    assert_eq!(
        m.catalog().modules.iter().filter(|x| x.is_bundle()).count(),
        1
    );
    assert!(users.users.len() >= 40);
}

#[test]
fn every_user_of_a_selling_department_is_in_a_community() {
    let (m, users) = demo();
    let community = |id: &str| {
        let u = users.user(id).unwrap();
        m.policy()
            .communities_of(&u.attributes)
            .map(|c| c.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(community("u-rep-01"), ["sales-reps"]);
    assert_eq!(community("u-mgr-01"), ["sales-managers"]);
    assert_eq!(community("u-mkt-02"), ["marketing"]);
    assert_eq!(community("u-sup-01"), ["support"]);
    assert_eq!(community("u-it-admin"), ["admins"]);
    assert!(
        community("u-fin-01").is_empty(),
        "finance has no community: nothing is offered"
    );
}
