//! sqlx 0.9 on PostgreSQL and MySQL, its idiomatic way: `query_as` into `FromRow` structs,
//! `QueryBuilder::push_values` for the multi-row INSERT. sqlx is async; each call runs on a
//! current-thread tokio runtime, as a synchronous service embedding it would.

use sqlx::{AssertSqlSafe, Connection, MySqlConnection, PgConnection, QueryBuilder};
use tokio::runtime::Runtime;

use crate::sqlx_common::*;
use crate::{Comment, Contender, NewUser, Post, User, UserTree, placeholders, regroup};

crate::sqlx_common::sqlx_contender!(SqlxPg, PgConnection, sqlx::Postgres, "$1", true);
crate::sqlx_common::sqlx_contender!(SqlxMysql, MySqlConnection, sqlx::MySql, "?", false);
