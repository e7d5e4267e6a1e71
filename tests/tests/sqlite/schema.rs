use philtre::prelude::*;
use philtre::schema::{Column, Table};
use philtre_sqlite::Sqlite;
use philtre_tests::*;
use static_assertions::{assert_impl_all, assert_not_impl_any};

use philtre::expression::AppearsIn;
use philtre::schema::{Here, TableInFrom};

// Type-level facts: a column appears only in queries over its own table.
assert_impl_all!(users::name: AppearsIn<(users::table, ()), Here>);
assert_not_impl_any!(users::name: AppearsIn<(posts::table, ()), Here>);
assert_impl_all!((posts::table, (users::table, ())): TableInFrom<users::table, philtre::schema::There<Here>>);
assert_not_impl_any!((posts::table, ()): TableInFrom<users::table, Here>);
// Tables and columns are zero-sized.
const _: () = assert!(std::mem::size_of::<users::table>() == 0);
const _: () = assert!(std::mem::size_of::<users::name>() == 0);

#[test]
fn description_of_a_table() {
    let d = users::table.description();
    assert_eq!(d.name, "users");
    assert_eq!(d.primary_key, ["id"]);
    let names: Vec<_> = d.columns.iter().map(|c| c.name).collect();
    assert_eq!(names, ["id", "name", "email", "score"]);
    let email = d.column("email").expect("email column");
    assert!(email.nullable);
    assert_eq!(email.sql_type, "TEXT");
    assert!(d.column("id").is_some_and(|c| c.primary_key && !c.nullable));
    assert!(d.foreign_keys.is_empty());
}

#[test]
fn foreign_keys_composite_keys_and_sql_names() {
    let posts = posts::table::DESCRIPTION;
    assert_eq!(posts.foreign_keys.len(), 1);
    assert_eq!(
        (
            posts.foreign_keys[0].column,
            posts.foreign_keys[0].foreign_table,
            posts.foreign_keys[0].foreign_column
        ),
        ("user_id", "users", "id")
    );
    assert_eq!(
        post_tags::table::DESCRIPTION.primary_key,
        ["post_id", "tag"]
    );
    let all = all_types::table::DESCRIPTION;
    assert_eq!(all.name, "all types");
    assert_eq!(all.column("type").map(|c| c.rust_name), Some("kind"));
    assert_eq!(all_types::kind::NAME, "type");
    assert_eq!(all.column("day").map(|c| c.sql_type), Some("DATE"));
}

#[test]
fn identifiers_are_quoted() {
    let q = all_types::table
        .select(all_types::kind)
        .filter(all_types::kind.eq("a"));
    assert_eq!(
        debug_query::<Sqlite, _>(&q).sql(),
        r#"SELECT "all types"."type" FROM "all types" WHERE "all types"."type" = ?"#
    );
}

#[test]
fn wide_tables_need_no_feature_flag() -> QueryResult<()> {
    philtre::table! {
        wide (c00) {
            c00 -> Integer, c01 -> Integer, c02 -> Integer, c03 -> Integer, c04 -> Integer, c05 -> Integer,
            c06 -> Integer, c07 -> Integer, c08 -> Integer, c09 -> Integer, c10 -> Integer, c11 -> Integer,
            c12 -> Integer, c13 -> Integer, c14 -> Integer, c15 -> Integer, c16 -> Integer, c17 -> Integer,
            c18 -> Integer, c19 -> Integer, c20 -> Integer, c21 -> Integer, c22 -> Integer, c23 -> Integer,
            c24 -> Integer, c25 -> Integer, c26 -> Integer, c27 -> Integer, c28 -> Integer, c29 -> Integer,
        }
    }
    let mut conn = philtre_sqlite::SqliteConnection::open(":memory:")?;
    let cols: Vec<String> = (0..30)
        .map(|i| format!("c{i:02} INTEGER NOT NULL"))
        .collect();
    conn.batch_execute(&format!("CREATE TABLE wide ({})", cols.join(", ")))?;
    let vals: Vec<String> = (0..30).map(|i| i.to_string()).collect();
    conn.batch_execute(&format!("INSERT INTO wide VALUES ({})", vals.join(", ")))?;
    type Twelve = (i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32);
    type Six = (i32, i32, i32, i32, i32, i32);
    // Wider than 12 columns, the default row nests in groups of 12.
    let row: (Twelve, Twelve, Six) = wide::table.first(&mut conn)?;
    assert_eq!((row.0.0, row.1.0, row.2.5), (0, 12, 29));
    assert_eq!(wide::table.description().columns.len(), 30);
    Ok(())
}
