use philtre::expression::sql;
use philtre::prelude::*;
use philtre::types::{Nullable, Text};
use philtre_dialects::{Mssql, render};
use philtre_ui_tests::schema::*;

// The render-only dialects do not read inside JSON: the database's own function as raw SQL.
fn main() {
    let _ = render::<Mssql, _>(&docs::table.select(sql::<Nullable<Text>>("JSON_VALUE(docs.data, '$.name')")));
}
