use philtre::prelude::*;
use philtre_dialects::{Mssql, render};
use philtre_ui_tests::schema::*;

fn main() {
    let _ = render::<Mssql, _>(&users::table.select(users::id).filter(users::id.eq(1)).for_update());
}
