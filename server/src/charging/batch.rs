//! The charge writer: charges that arrive together are verified one after another against
//! the spend as each one leaves it, and recorded in one transaction, so one commit (one
//! flush to disk) serves the whole batch. A shared budget takes one writer at a time, held
//! until its commit is durable; batching is what lets more than one charge per disk flush
//! through. Card purchases, which call the processor between verification and insert, are
//! recorded alone ([`super::record_alone`]), and so is every charge of a batch whose
//! transaction fails (then each is retried in its own).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::http::StatusCode;
use inflow::checkout::verify::ALL_SOURCES;
use inflow::checkout::{verify, ChargeRecord, Context, Route, Spend};
use inflow::entitlement::Grant;
use inflow::manifest::User;
use tokio::sync::{mpsc, oneshot};

use super::{Receipt, Settlement};
use crate::clock;
use crate::http::error::ApiError;
use crate::policy::Current;
use crate::store::batched::{self, NewGrant};
use crate::store::ledger::{self, Counters};
use crate::store::Store;

/// At most this many charges share a transaction.
pub const MAX_BATCH: usize = 64;

/// A charge to record, with what the request already derived.
#[derive(Debug)]
pub struct Job {
    /// The record.
    pub record: ChargeRecord,
    /// Its JSON, as stored.
    pub body: String,
    /// SHA-256 of its canonical JSON.
    pub digest: String,
    /// The buyer.
    pub user: User,
    /// The policy in force when the request arrived.
    pub live: Arc<Current>,
    /// The funding sources it may read or draw ([`super::sources_of`]).
    pub sources: Vec<String>,
}

impl Job {
    /// The context it is verified in: the buyer's `grants` and `spend`, the server's time.
    pub fn context<'a>(&'a self, grants: &'a [Grant], spend: &'a Spend) -> Context<'a> {
        Context {
            manifests: &self.live.manifests,
            user: &self.user,
            grants,
            spend,
            refs: &self.live.refs,
            now: clock::now(),
        }
    }
}

/// The answer to a charge.
pub type Answer = Result<(StatusCode, Receipt), ApiError>;

// Sent once per charge through a oneshot: the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
enum Reply {
    Done(Answer),
    /// Record it in its own transaction.
    Alone(Job),
}

type Slot = (Job, oneshot::Sender<Reply>);

/// The handle requests submit charges through; the writer stops when the last is dropped.
#[derive(Debug, Clone)]
pub struct Writer {
    queue: mpsc::Sender<Slot>,
}

impl Writer {
    /// Starts the writer of `store` on the current Tokio runtime.
    pub fn spawn(store: Store) -> Writer {
        let (queue, rx) = mpsc::channel(1024);
        tokio::spawn(run(store, rx));
        Writer { queue }
    }

    /// Records `job` in the next batch and answers it; gives the job back when it must be
    /// recorded alone (a card purchase, a failed batch, a stopped writer).
    pub async fn submit(&self, job: Job) -> Result<Answer, Job> {
        let (tx, rx) = oneshot::channel();
        if let Err(mpsc::error::SendError((job, _))) = self.queue.send((job, tx)).await {
            return Err(job);
        }
        match rx.await {
            Ok(Reply::Done(answer)) => Ok(answer),
            Ok(Reply::Alone(job)) => Err(job),
            Err(_) => Ok(Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the charge writer stopped; the charge may or may not be recorded: send it again \
                 with the same id",
            ))),
        }
    }
}

async fn run(store: Store, mut rx: mpsc::Receiver<Slot>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(slot) => batch.push(slot),
                Err(_) => break,
            }
        }
        match write(&store, &batch).await {
            Ok(answers) => {
                for ((_, reply), answer) in batch.into_iter().zip(answers) {
                    let _ = reply.send(match answer {
                        Some(a) => Reply::Done(a),
                        None => Reply::Done(Err(ApiError::new(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            "internal",
                            "the charge's route needs it recorded alone: report this to the operator",
                        ))),
                    });
                }
            }
            Err(_) => {
                for (job, reply) in batch {
                    let _ = reply.send(Reply::Alone(job));
                }
            }
        }
    }
}

/// Verifies and records `batch` in one transaction: an answer per job (`None`: it must be
/// recorded alone). Refused charges record nothing and do not stop the others.
async fn write(store: &Store, batch: &[Slot]) -> sqlx::Result<Vec<Option<Answer>>> {
    let mut tx = store.begin().await?;
    let sources: Vec<String> = batch
        .iter()
        .flat_map(|(j, _)| j.sources.iter().cloned())
        .collect();
    ledger::lock_sources(&mut tx, store.backend(), &sources).await?;
    let ids: Vec<&str> = batch.iter().map(|(j, _)| j.record.id.as_str()).collect();
    let mut known = batched::recorded(&mut tx, &ids).await?;
    let mut source_ids: BTreeSet<&str> = sources.iter().map(String::as_str).collect();
    source_ids.insert(ALL_SOURCES);
    let mut users: BTreeSet<&str> = batch.iter().map(|(j, _)| j.user.id.as_str()).collect();
    users.insert("");
    let source_ids: Vec<&str> = source_ids.into_iter().collect();
    let users: Vec<&str> = users.into_iter().collect();
    let mut counters = batched::counters(&mut tx, &source_ids, &users).await?;
    let mut grants_of = batched::grants(&mut tx, &users).await?;
    let mut moved = Counters::new();
    let mut rows: Vec<(usize, Settlement, String)> = Vec::new();
    let mut grants: Vec<NewGrant> = Vec::new();
    let mut answers = Vec::with_capacity(batch.len());
    for (i, (job, _)) in batch.iter().enumerate() {
        answers.push(
            match settle(
                job,
                &mut known,
                &mut counters,
                &mut moved,
                &mut grants_of,
                &mut grants,
            ) {
                Step::Answer(answer) => Some(answer),
                Step::Record(settled, receipt_json) => {
                    let receipt = settled.receipt.clone();
                    rows.push((i, settled, receipt_json));
                    Some(Ok((StatusCode::CREATED, receipt)))
                }
                Step::Alone => None,
            },
        );
    }
    let new_rows: Vec<_> = rows
        .iter()
        .map(|(i, settled, receipt)| {
            let job = &batch[*i].0;
            settled.row(&job.record, &job.body, &job.digest, receipt)
        })
        .collect();
    batched::insert_charges(&mut tx, &new_rows).await?;
    batched::set_counters(&mut tx, &moved).await?;
    batched::insert_grants(&mut tx, &grants).await?;
    tx.commit().await?;
    Ok(answers)
}

/// What one job of a batch comes to.
enum Step {
    /// Answered without writing: a replay, or a refusal.
    Answer(Answer),
    /// To record: the settlement and its receipt's JSON.
    Record(Settlement, String),
    /// A card purchase: recorded alone.
    Alone,
}

/// One job of a batch against the counters as the batch's earlier jobs left them; a
/// settlement to record moves `counters` (and `moved`) and queues its grant.
fn settle(
    job: &Job,
    known: &mut BTreeMap<String, (String, String)>,
    counters: &mut Counters,
    moved: &mut Counters,
    held: &mut BTreeMap<String, Vec<Grant>>,
    grants: &mut Vec<NewGrant>,
) -> Step {
    let record = &job.record;
    if let Some((digest, receipt)) = known.get(&record.id) {
        return Step::Answer(super::replay_of(digest, receipt, &job.digest));
    }
    let manifests = &job.live.manifests;
    let date = record.created_at.date();
    let spend = ledger::spend_from(counters, manifests, &job.sources, &job.user.id, date);
    let mine = held
        .get(&record.user)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let verified = match verify(record, &job.context(mine, &spend)) {
        Ok(v) => v,
        Err(refusal) => return Step::Answer(Err(refusal.into())),
    };
    let settled = Settlement::of(record, &verified, manifests);
    if settled.route == Route::Card.as_str() {
        return Step::Alone;
    }
    let json = serde_json::to_string(&settled.receipt).and_then(|r| {
        let g = settled
            .receipt
            .grant
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?;
        Ok((r, g))
    });
    let (receipt_json, grant_json) = match json {
        Ok(j) => j,
        Err(e) => return Step::Answer(Err(e.into())),
    };
    if settled.draws {
        let keys = ledger::draw_keys(&settled.source, &settled.period, &record.user, date);
        let mut next = Vec::with_capacity(keys.len());
        for key in keys {
            let now = counters.get(&key).copied().unwrap_or_default();
            let Some(v) = now.checked_add(record.total) else {
                return Step::Answer(Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "overflow",
                    "the spend counter would overflow: report this to the operator",
                )));
            };
            next.push((key, v));
        }
        for (key, v) in next {
            counters.insert(key.clone(), v);
            moved.insert(key, v);
        }
    }
    if let (Some(g), Some(gj)) = (&settled.receipt.grant, grant_json) {
        held.entry(record.user.clone()).or_default().push(g.clone());
        grants.push((
            g.id.clone(),
            record.id.clone(),
            record.user.clone(),
            record.module.clone(),
            gj,
        ));
    }
    known.insert(
        record.id.clone(),
        (job.digest.clone(), receipt_json.clone()),
    );
    Step::Record(settled, receipt_json)
}
