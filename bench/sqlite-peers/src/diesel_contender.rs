//! diesel 2.3 on SQLite, the same code as on the servers (`../../src/diesel_schema.rs`).

use diesel::prelude::*;

use crate::diesel_schema::*;
use crate::{Contender, NewUser, UserTree};

crate::diesel_schema::diesel_contender!(DieselSqlite, diesel::sqlite::SqliteConnection);
