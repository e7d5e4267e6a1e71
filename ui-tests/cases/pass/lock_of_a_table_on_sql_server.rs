use philtre::prelude::*;
use philtre_dialects::{Mssql, render};
use philtre_ui_tests::schema::*;

// SQL Server locks through table hints, one per table: lock the rows of every table of the query.
fn main() {
    let _ = render::<Mssql, _>(
        &users::table.inner_join(posts::table).select((users::id, posts::id)).for_update(),
    );
}
