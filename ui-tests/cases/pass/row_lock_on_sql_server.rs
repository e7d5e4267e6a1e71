use philtre::prelude::*;
use philtre_dialects::{Mssql, Oracle, render};
use philtre_ui_tests::schema::*;

// Oracle locks rows with FOR UPDATE; on SQL Server the same query runs without the lock.
fn main() {
    let _ = render::<Oracle, _>(&users::table.select(users::id).filter(users::id.eq(1)).for_update());
    let _ = render::<Mssql, _>(&users::table.select(users::id).filter(users::id.eq(1)));
}
