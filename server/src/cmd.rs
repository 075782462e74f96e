//! One module per subcommand.

pub mod check;
pub mod history;
pub mod price;
pub mod quote;
pub mod schema;
