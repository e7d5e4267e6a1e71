//! diesel 2.3 on PostgreSQL and MySQL, written its idiomatic way: `table!`, `Queryable`/`Selectable`,
//! `belonging_to`-free three-query association loading (diesel's `grouped_by` needs
//! `Associations`; plain `eq_any` is the same SQL).

use diesel::prelude::*;

use crate::diesel_schema::*;
use crate::{Contender, NewUser, UserTree};

crate::diesel_schema::diesel_contender!(DieselPg, diesel::pg::PgConnection);
crate::diesel_schema::diesel_contender!(DieselMysql, diesel::mysql::MysqlConnection);
