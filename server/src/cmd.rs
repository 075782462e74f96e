//! One module per subcommand.

pub mod bench_load;
pub mod check;
pub mod eval;
pub mod history;
pub mod price;
pub mod quote;
pub mod schema;
pub mod serve;
pub mod token;
pub mod train;
