use philtre::prelude::*;
use philtre::schema::{Column, Table};
use philtre_tests::harness::Dialect;
use philtre_tests::*;
use static_assertions::{assert_impl_all, assert_not_impl_any};

use philtre::expression::AppearsIn;
use philtre::query::{JoinPath, TableScope, ToChild, ToParent};
use philtre::schema::{Entry, Here, SingleFrom, TableInFrom, There};
use philtre::types::{IsNullable, NotNullable};

// Type-level facts: a column appears only in queries over its own table.
assert_impl_all!(users::name: AppearsIn<TableScope<users::table>, Here>);
assert_not_impl_any!(users::name: AppearsIn<TableScope<posts::table>, Here>);
type PostsThenUsers = (Entry<posts::table, IsNullable>, SingleFrom<users::table>);
assert_impl_all!(PostsThenUsers: TableInFrom<users::table, There<Here>>);
assert_not_impl_any!(SingleFrom<posts::table>: TableInFrom<users::table, Here>);
// The nullable side of a join is recorded in the FROM list.
const _: fn() = || {
    fn nullability<FL: TableInFrom<T, I, Nullability = N>, T, I, N>() {}
    nullability::<PostsThenUsers, posts::table, Here, IsNullable>();
    nullability::<PostsThenUsers, users::table, There<Here>, NotNullable>();
};
// A declared foreign key is a join path in both directions; there is none between unrelated
// tables.
assert_impl_all!(SingleFrom<users::table>: JoinPath<posts::table, ToParent>);
assert_impl_all!(SingleFrom<posts::table>: JoinPath<users::table, ToChild>);
assert_not_impl_any!(SingleFrom<users::table>: JoinPath<users::table, ToParent>);
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
            posts.foreign_keys[0].columns,
            posts.foreign_keys[0].foreign_table,
            posts.foreign_keys[0].foreign_columns
        ),
        (&["user_id"][..], "users", &["id"][..])
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

philtre::table! {
    wide (c00) {
            c00 -> Integer,
            c01 -> Integer,
            c02 -> Integer,
            c03 -> Integer,
            c04 -> Integer,
            c05 -> Integer,
            c06 -> Integer,
            c07 -> Integer,
            c08 -> Integer,
            c09 -> Integer,
            c10 -> Integer,
            c11 -> Integer,
            c12 -> Integer,
            c13 -> Integer,
            c14 -> Integer,
            c15 -> Integer,
            c16 -> Integer,
            c17 -> Integer,
            c18 -> Integer,
            c19 -> Integer,
            c20 -> Integer,
            c21 -> Integer,
            c22 -> Integer,
            c23 -> Integer,
            c24 -> Integer,
            c25 -> Integer,
            c26 -> Integer,
            c27 -> Integer,
            c28 -> Integer,
            c29 -> Integer,
            c30 -> Integer,
            c31 -> Integer,
            c32 -> Integer,
            c33 -> Integer,
            c34 -> Integer,
            c35 -> Integer,
            c36 -> Integer,
            c37 -> Integer,
            c38 -> Integer,
            c39 -> Integer,
            c40 -> Integer,
            c41 -> Integer,
            c42 -> Integer,
            c43 -> Integer,
            c44 -> Integer,
            c45 -> Integer,
            c46 -> Integer,
            c47 -> Integer,
            c48 -> Integer,
            c49 -> Integer,
            c50 -> Integer,
            c51 -> Integer,
            c52 -> Integer,
            c53 -> Integer,
            c54 -> Integer,
            c55 -> Integer,
            c56 -> Integer,
            c57 -> Integer,
            c58 -> Integer,
            c59 -> Integer,
            c60 -> Integer,
            c61 -> Integer,
            c62 -> Integer,
            c63 -> Integer,
    }
}

/// 64 fields read positionally: the derive nests the row type like `all_columns`.
#[derive(Debug, Queryable)]
#[allow(dead_code)]
struct WideRow {
    c00: i32,
    c01: i32,
    c02: i32,
    c03: i32,
    c04: i32,
    c05: i32,
    c06: i32,
    c07: i32,
    c08: i32,
    c09: i32,
    c10: i32,
    c11: i32,
    c12: i32,
    c13: i32,
    c14: i32,
    c15: i32,
    c16: i32,
    c17: i32,
    c18: i32,
    c19: i32,
    c20: i32,
    c21: i32,
    c22: i32,
    c23: i32,
    c24: i32,
    c25: i32,
    c26: i32,
    c27: i32,
    c28: i32,
    c29: i32,
    c30: i32,
    c31: i32,
    c32: i32,
    c33: i32,
    c34: i32,
    c35: i32,
    c36: i32,
    c37: i32,
    c38: i32,
    c39: i32,
    c40: i32,
    c41: i32,
    c42: i32,
    c43: i32,
    c44: i32,
    c45: i32,
    c46: i32,
    c47: i32,
    c48: i32,
    c49: i32,
    c50: i32,
    c51: i32,
    c52: i32,
    c53: i32,
    c54: i32,
    c55: i32,
    c56: i32,
    c57: i32,
    c58: i32,
    c59: i32,
    c60: i32,
    c61: i32,
    c62: i32,
    c63: i32,
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn identifiers_are_quoted(conn) {
    let q = all_types::table.select(all_types::kind).filter(all_types::kind.eq("a"));
    let expected = match DIALECT {
        Dialect::Sqlite | Dialect::Postgres => {
            r#"SELECT "all types"."type" FROM "all types" WHERE "all types"."type" = "#
        }
        Dialect::Mysql => "SELECT `all types`.`type` FROM `all types` WHERE `all types`.`type` = ",
    };
    let shown = debug_query::<Db, _>(&q);
    assert!(shown.sql().starts_with(expected), "{shown}");
    let found: Vec<String> = q.load(conn)?;
    assert!(found.is_empty(), "the quoted statement runs");
    Ok(())
}

fn sixty_four_column_table_needs_no_feature_flag(conn) {
    let cols: Vec<String> = (0..64).map(|i| format!("c{i:02} INTEGER NOT NULL")).collect();
    conn.batch_execute(&format!("CREATE TABLE wide ({})", cols.join(", ")))?;
    let vals: Vec<String> = (0..64).map(|i| i.to_string()).collect();
    conn.batch_execute(&format!("INSERT INTO wide VALUES ({})", vals.join(", ")))?;
    assert_eq!(wide::table.description().columns.len(), 64);
    type Twelve = (i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32);
    type Four = (i32, i32, i32, i32);
    // Wider than 12 columns, the default row nests in groups of 12.
    let row: (Twelve, Twelve, Twelve, Twelve, Twelve, Four) = wide::table.first(conn)?;
    assert_eq!((row.0.0, row.1.0, row.5.3), (0, 12, 63));
    let row: WideRow = wide::table.first(conn)?;
    assert_eq!((row.c00, row.c31, row.c63), (0, 31, 63));
    let some: (i32, i32) = wide::table.select((wide::c63, wide::c40)).filter(wide::c50.eq(50)).first(conn)?;
    assert_eq!(some, (63, 40));
    Ok(())
}
}
