//! The ledger's storage: SQLite by default (WAL, created on first run), PostgreSQL by URL,
//! through sqlx's `Any` driver. Every SQL statement is in [`sql`]; the functions of
//! [`ledger`] run them inside the caller's transaction.

pub mod batched;
pub mod ledger;
pub mod sql;

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Which database is behind the pool (the few statements that differ depend on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite: one writer at a time, taken with `BEGIN IMMEDIATE`.
    Sqlite,
    /// PostgreSQL: concurrent writers, serialized per funding source by advisory locks.
    Postgres,
}

/// The ledger database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite admits one writer at a time: writers queue here, in order, rather than in
    /// SQLite's busy handler, whose sleeps grow to 100 ms and make the tail latency.
    writer: Arc<Mutex<()>>,
}

/// A write transaction; on SQLite it also holds the writers' turn until it ends.
pub struct Tx {
    tx: Transaction<'static, Any>,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl Tx {
    /// Commits.
    ///
    /// # Errors
    /// When the database refuses; nothing was written then.
    pub async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await
    }
}

impl Deref for Tx {
    type Target = Transaction<'static, Any>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// The migrations, embedded in the binary.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl Store {
    /// Opens (and for SQLite creates) the database at `url` and runs the migrations.
    ///
    /// # Errors
    /// When the database cannot be reached or migrated; the message says what to check.
    pub async fn open(url: &str) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            anyhow::bail!(
                "unsupported database URL {url:?}: use sqlite://PATH or postgres://USER@HOST:PORT/DB"
            );
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .with_context(|| format!("cannot read the database URL {url:?}"))?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| {
                format!("cannot open the database {url}: is it running and reachable? (--database)")
            })?;
        MIGRATOR.run(&pool).await.with_context(|| {
            format!("cannot migrate the database {url}: it may belong to another program; use a fresh one")
        })?;
        Ok(Store {
            pool,
            backend,
            writer: Arc::new(Mutex::new(())),
        })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for reads outside a transaction.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a write transaction: `BEGIN IMMEDIATE` on SQLite (the writer's lock is taken
    /// at once, so read-then-write cannot race), a plain one on PostgreSQL (callers lock the
    /// funding sources they read with [`ledger::lock_sources`]).
    ///
    /// # Errors
    /// When the database is unavailable.
    pub async fn begin(&self) -> sqlx::Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => {
                let turn = self.writer.clone().lock_owned().await;
                Tx {
                    tx: self.pool.begin_with("BEGIN IMMEDIATE").await?,
                    _turn: Some(turn),
                }
            }
            Backend::Postgres => Tx {
                tx: self.pool.begin().await?,
                _turn: None,
            },
        })
    }
}

/// A SQLite URL with `mode=rwc` (create on first run), its directory created.
fn sqlite_url(url: &str) -> anyhow::Result<String> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        anyhow::bail!("use a file for the SQLite database, e.g. sqlite://.inflow/inflow.sqlite");
    }
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).with_context(|| {
            format!(
                "cannot create {}: check the permissions or pick another --database",
                dir.display()
            )
        })?;
    }
    Ok(if rest.contains('?') {
        format!("sqlite://{rest}")
    } else {
        format!("sqlite://{rest}?mode=rwc")
    })
}
