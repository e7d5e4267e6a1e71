//! The session's transaction: begun at its first statement, held across calls until
//! [`Session::commit`] or [`Session::rollback`]; each flush inside it a savepoint once earlier
//! work is there to keep; [`Session::begin_nested`] a savepoint the caller scopes.

use std::any::{Any, TypeId};

use crate::error::QueryResult;

use super::Session;
use super::io::SessionIo;

/// The transaction a session holds open.
#[derive(Debug)]
pub(super) struct SessionTransaction {
    /// The savepoint standing for it, when the connection was already in a transaction.
    savepoint: Option<String>,
    /// Its nesting level on the connection.
    level: u32,
    /// Whether a flush wrote in it: a later flush's failure must not undo that work.
    pub wrote: bool,
}

impl<C: SessionIo<M>, M: 'static> Session<'_, C, M> {
    /// Begins the session's transaction if it has none.
    pub(super) async fn begin_io(&mut self) -> QueryResult<()> {
        if self.transaction.is_none() {
            let (savepoint, level) = self.conn.open_level().await?;
            self.transaction = Some(SessionTransaction {
                savepoint,
                level,
                wrote: false,
            });
        }
        Ok(())
    }

    /// A savepoint for a flush when earlier flushed work must survive its failure.
    pub(super) async fn flush_savepoint(&mut self) -> QueryResult<Option<(Option<String>, u32)>> {
        match &self.transaction {
            Some(tx) if tx.wrote => self.conn.open_level().await.map(Some),
            _ => Ok(None),
        }
    }

    /// Ends a flush: releases its savepoint, or after a failure rolls it back — or, without a
    /// savepoint, rolls back the whole transaction (which held no writes).
    pub(super) async fn end_flush_savepoint(
        &mut self,
        savepoint: Option<(Option<String>, u32)>,
        keep: bool,
    ) -> QueryResult<()> {
        match savepoint {
            Some((name, level)) => self.conn.close_level(name.as_deref(), level, keep).await,
            None if keep => Ok(()),
            None => match self.transaction.take() {
                Some(tx) => {
                    self.conn
                        .close_level(tx.savepoint.as_deref(), tx.level, false)
                        .await
                }
                None => Ok(()),
            },
        }
    }

    /// Flushes before a query when autoflush is on, and begins the transaction.
    pub(super) async fn before_query(&mut self) -> QueryResult<()> {
        if self.autoflush {
            self.flush_io().await?;
        }
        self.begin_io().await
    }

    pub(super) async fn commit_io(&mut self) -> QueryResult<()> {
        self.flush_io().await?;
        let Some(tx) = self.transaction.take() else {
            self.each_store(|s| s.commit());
            return Ok(());
        };
        match self
            .conn
            .close_level(tx.savepoint.as_deref(), tx.level, true)
            .await
        {
            Ok(()) => {
                self.each_store(|s| s.commit());
                Ok(())
            }
            Err(e) => {
                self.forget_transaction();
                Err(e)
            }
        }
    }

    pub(super) async fn rollback_io(&mut self) -> QueryResult<()> {
        let outcome = match self.transaction.take() {
            Some(tx) => {
                self.conn
                    .close_level(tx.savepoint.as_deref(), tx.level, false)
                    .await
            }
            None => Ok(()),
        };
        self.forget_transaction();
        outcome
    }

    fn forget_transaction(&mut self) {
        let mut left: Vec<(TypeId, Vec<u32>)> = Vec::new();
        for (t, store) in self.stores.iter_mut() {
            left.push((*t, store.rollback()));
        }
        for (t, slots) in left {
            if let Some(links) = self.links.get_mut(&t) {
                links.retain(|(s, _), _| !slots.contains(s));
            }
        }
    }

    fn each_store(&mut self, f: impl Fn(&mut dyn super::unit_of_work::StoreOps<C, M>)) {
        for store in self.stores.values_mut() {
            f(store.as_mut());
        }
    }

    /// Whether the session holds changes no flush has written yet: new, changed or deleted
    /// objects (SQLAlchemy's `session.new`, `dirty`, `deleted` being non-empty).
    pub fn has_changes(&self) -> bool {
        self.stores.values().any(|s| s.has_work())
    }

    /// Opens the savepoint of a `begin_nested`: flushes, begins, and takes a copy of the
    /// session to go back to.
    pub(super) async fn open_nested(&mut self) -> QueryResult<Nested> {
        self.flush_io().await?;
        self.begin_io().await?;
        let (savepoint, level) = self.conn.open_level().await?;
        let checkpoints: Vec<(TypeId, Box<dyn Any + Send>)> = self
            .stores
            .iter()
            .map(|(t, s)| (*t, s.checkpoint()))
            .collect();
        let links = self.links.clone();
        let wrote = self.transaction.as_ref().is_some_and(|t| t.wrote);
        if let Some(tx) = &mut self.transaction {
            tx.wrote = true; // a flush inside must not roll back the whole transaction
        }
        Ok(Nested {
            savepoint,
            level,
            checkpoints,
            links,
            wrote,
        })
    }

    /// Ends a `begin_nested` with what its body came to: flushed and released when `Ok`,
    /// otherwise the database and the session go back to the savepoint.
    pub(super) async fn close_nested<T>(
        &mut self,
        nested: Nested,
        outcome: QueryResult<T>,
    ) -> QueryResult<T> {
        let outcome = match outcome {
            Ok(value) => self.flush_io().await.map(|()| value),
            Err(e) => Err(e),
        };
        match outcome {
            Ok(value) => {
                self.conn
                    .close_level(nested.savepoint.as_deref(), nested.level, true)
                    .await?;
                Ok(value)
            }
            Err(e) => {
                let _ = self.rollback_nested_io(nested).await;
                Err(e)
            }
        }
    }

    /// Rolls the database and the session back to a `begin_nested` savepoint.
    pub(super) async fn rollback_nested_io(&mut self, nested: Nested) -> QueryResult<()> {
        let Nested {
            savepoint,
            level,
            checkpoints,
            links,
            wrote,
        } = nested;
        let outcome = self
            .conn
            .close_level(savepoint.as_deref(), level, false)
            .await;
        self.stores
            .retain(|t, _| checkpoints.iter().any(|(c, _)| c == t));
        for (t, checkpoint) in checkpoints {
            if let Some(store) = self.stores.get_mut(&t) {
                store.restore_checkpoint(checkpoint);
            }
        }
        self.links = links;
        if let Some(tx) = &mut self.transaction {
            tx.wrote = wrote;
        }
        outcome
    }

    pub(super) async fn connection_io(&mut self) -> QueryResult<&mut C> {
        self.before_query().await?;
        Ok(self.conn)
    }
}

/// What a `begin_nested` keeps until its body ends.
pub(crate) struct Nested {
    savepoint: Option<String>,
    level: u32,
    checkpoints: Vec<(TypeId, Box<dyn Any + Send>)>,
    links: super::Links,
    wrote: bool,
}

impl<C: SessionIo<M>, M: 'static> Drop for Session<'_, C, M> {
    fn drop(&mut self) {
        let unflushed = self.has_changes();
        let unwritten = self.transaction.as_ref().is_some_and(|tx| tx.wrote);
        if unflushed || unwritten {
            // Discarding is what the session promises (as SQLAlchemy's does); saying so keeps
            // a forgotten `commit` from going unnoticed.
            #[cfg(feature = "tracing")]
            tracing::warn!(
                target: "philtre::orm",
                unflushed,
                flushed_uncommitted = unwritten,
                "a session was dropped without commit: its changes were discarded"
            );
        }
        if let Some(tx) = self.transaction.take() {
            // Nothing uncommitted is kept: rolled back now on a blocking connection; on an
            // async one, by the connection's next call or its pool.
            self.conn.drop_level(tx.savepoint.as_deref(), tx.level);
        }
    }
}
