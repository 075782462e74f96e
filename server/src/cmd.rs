//! One module per subcommand.

pub mod check;
pub mod price;
pub mod quote;
pub mod schema;
pub mod serve;
