//! sqlx 0.9 on SQLite, the same code as on the servers (`../../src/sqlx_common.rs`).

use sqlx::{AssertSqlSafe, Connection, QueryBuilder, SqliteConnection};
use tokio::runtime::Runtime;

use crate::sqlx_common::*;
use crate::{Comment, Contender, NewUser, Post, User, UserTree, placeholders, regroup};

crate::sqlx_common::sqlx_contender!(SqlxSqlite, SqliteConnection, sqlx::Sqlite, "?", false);
