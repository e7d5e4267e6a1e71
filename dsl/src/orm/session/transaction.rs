//! The session's transaction: begun at its first statement, held across calls until
//! [`Session::commit`] or [`Session::rollback`]; each flush inside it a savepoint once earlier
//! work is there to keep; [`Session::begin_nested`] a savepoint the caller scopes.

use std::any::{Any, TypeId};

use crate::connection::Connection;
use crate::connection::{close_level, open_level};
use crate::error::QueryResult;

use super::Session;

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

impl<C: Connection> Session<'_, C> {
    /// Begins the session's transaction if it has none.
    pub(super) fn begin(&mut self) -> QueryResult<()> {
        if self.transaction.is_none() {
            let (savepoint, level) = open_level(self.conn, None)?;
            self.transaction = Some(SessionTransaction {
                savepoint,
                level,
                wrote: false,
            });
        }
        Ok(())
    }

    /// A savepoint for a flush when earlier flushed work must survive its failure.
    pub(super) fn flush_savepoint(&mut self) -> QueryResult<Option<(Option<String>, u32)>> {
        match &self.transaction {
            Some(tx) if tx.wrote => open_level(self.conn, None).map(Some),
            _ => Ok(None),
        }
    }

    /// Ends a flush: releases its savepoint, or after a failure rolls it back — or, without a
    /// savepoint, rolls back the whole transaction (which held no writes).
    pub(super) fn end_flush_savepoint(
        &mut self,
        savepoint: Option<(Option<String>, u32)>,
        keep: bool,
    ) -> QueryResult<()> {
        match savepoint {
            Some((name, level)) => close_level(self.conn, name.as_deref(), level, keep),
            None if keep => Ok(()),
            None => match self.transaction.take() {
                Some(tx) => close_level(self.conn, tx.savepoint.as_deref(), tx.level, false),
                None => Ok(()),
            },
        }
    }

    /// Flushes before a query when autoflush is on, and begins the transaction.
    pub(super) fn before_query(&mut self) -> QueryResult<()> {
        if self.autoflush {
            self.flush()?;
        }
        self.begin()
    }

    /// Flushes, then commits the session's transaction: only after the database confirms the
    /// COMMIT are objects deleted in it gone from the session and new ones kept as persistent.
    /// If the COMMIT fails, the session is rolled back (see [`Session::rollback`]) and the
    /// error returned.
    pub fn commit(&mut self) -> QueryResult<()> {
        self.flush()?;
        let Some(tx) = self.transaction.take() else {
            self.each_store(|s| s.commit());
            return Ok(());
        };
        match close_level(self.conn, tx.savepoint.as_deref(), tx.level, true) {
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

    /// Rolls back the session's transaction and the session with it: objects added in it leave
    /// the session (their keys stop resolving), changed and deleted objects get back their
    /// values as of the transaction's start, unflushed changes are discarded.
    pub fn rollback(&mut self) -> QueryResult<()> {
        let outcome = match self.transaction.take() {
            Some(tx) => close_level(self.conn, tx.savepoint.as_deref(), tx.level, false),
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

    fn each_store(&mut self, f: impl Fn(&mut dyn super::unit_of_work::StoreOps<C>)) {
        for store in self.stores.values_mut() {
            f(store.as_mut());
        }
    }

    /// Whether the session holds changes no flush has written yet: new, changed or deleted
    /// objects (SQLAlchemy's `session.new`, `dirty`, `deleted` being non-empty).
    pub fn has_changes(&self) -> bool {
        self.stores.values().any(|s| s.has_work())
    }

    /// Runs `f` in a savepoint (SQLAlchemy's `begin_nested`): the session flushes first; if
    /// `f` returns `Ok`, what it did is flushed and the savepoint released; if `f` returns
    /// `Err` (or its flush fails), the database and the session go back to how they were at
    /// the savepoint — objects, values and states — and the error is returned. The session's
    /// outer transaction stays open either way.
    ///
    /// Taking the savepoint copies the session's objects (to restore them), so its cost grows
    /// with the number of objects held.
    pub fn begin_nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> QueryResult<T>,
    ) -> QueryResult<T> {
        self.flush()?;
        self.begin()?;
        let (savepoint, level) = open_level(self.conn, None)?;
        let checkpoints: Vec<(TypeId, Box<dyn Any>)> = self
            .stores
            .iter()
            .map(|(t, s)| (*t, s.checkpoint()))
            .collect();
        let links = self.links.clone();
        let wrote = self.transaction.as_ref().is_some_and(|t| t.wrote);
        if let Some(tx) = &mut self.transaction {
            tx.wrote = true; // a flush inside must not roll back the whole transaction
        }
        let outcome = f(self).and_then(|value| self.flush().map(|()| value));
        match outcome {
            Ok(value) => {
                close_level(self.conn, savepoint.as_deref(), level, true)?;
                Ok(value)
            }
            Err(e) => {
                let _ = close_level(self.conn, savepoint.as_deref(), level, false);
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
                Err(e)
            }
        }
    }

    /// The connection, for Core statements inside the session's transaction (flushed first
    /// when autoflush is on, so they see the session's changes). Rows changed this way are not
    /// known to the session: [`Session::refresh`] or [`Session::load_fresh`] reads them.
    pub fn connection(&mut self) -> QueryResult<&mut C> {
        self.before_query()?;
        Ok(self.conn)
    }
}

impl<C: Connection> Drop for Session<'_, C> {
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
            // Nothing uncommitted is kept; a failure here means the connection is broken,
            // which its next use reports.
            let _ = close_level(self.conn, tx.savepoint.as_deref(), tx.level, false);
        }
    }
}
