//! `create_all` / `drop_all` from the declared schema, on every backend.

use philtre::prelude::*;
use philtre_tests::harness::{Dialect, RawRows};

philtre::table! {
    #[comment = "registered accounts"]
    #[unique(name, org)]
    #[index(created_at)]
    accounts (id) {
        #[auto_increment]
        id -> Integer,
        #[max_length = 50]
        name -> Text,
        #[max_length = 20]
        #[default = "acme"]
        org -> Text,
        #[unique]
        #[max_length = 120]
        email -> Text,
        #[default = 0]
        #[check = "balance >= 0"]
        balance -> Integer,
        #[default = true]
        active -> Bool,
        #[default = current_timestamp]
        created_at -> Timestamp,
        #[comment = "free text"]
        note -> Nullable<Text>,
    }
    #[check = "qty > 0"]
    #[unique_index(account_id, sku)]
    orders (id) {
        #[auto_increment]
        id -> BigInt,
        account_id -> Integer references accounts(id) on delete cascade,
        #[max_length = 30]
        sku -> Text,
        qty -> Integer,
    }
    a_nodes (id) {
        id -> Integer,
        b_id -> Nullable<Integer> references b_nodes(id),
    }
    b_nodes (id) {
        id -> Integer,
        a_id -> Nullable<Integer> references a_nodes(id) on delete set null,
    }
}

fn schema() -> Schema {
    // Declared in an order that needs sorting: orders before the accounts it references.
    Schema::new()
        .table(orders::table)
        .table(accounts::table)
        .table(a_nodes::table)
        .table(b_nodes::table)
}

fn catalog_sql(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('accounts', 'orders', 'a_nodes', 'b_nodes') ORDER BY name"
        }
        Dialect::Postgres => {
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
             AND table_name IN ('accounts', 'orders', 'a_nodes', 'b_nodes') ORDER BY table_name"
        }
        Dialect::Mysql => {
            "SELECT table_name FROM information_schema.tables WHERE table_schema = database()
             AND table_name IN ('accounts', 'orders', 'a_nodes', 'b_nodes') ORDER BY table_name"
        }
    }
}

fn names(rows: RawRows) -> Vec<String> {
    let mut names: Vec<String> = rows
        .into_iter()
        .filter_map(|r| r.into_iter().next())
        .collect();
    // Catalog collations sort `_` differently.
    names.sort();
    names
}

fn kind<T>(r: QueryResult<T>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

#[test]
fn dependency_order_and_cycles() {
    let plan = schema().plan();
    let order: Vec<_> = plan.tables.iter().map(|t| t.name).collect();
    let pos = |n: &str| {
        order
            .iter()
            .position(|t| *t == n)
            .expect("every table is planned")
    };
    assert!(pos("accounts") < pos("orders"), "{order:?}");
    assert_eq!(
        plan.deferred.len(),
        1,
        "one key of the a/b cycle is added afterwards"
    );
    let description = accounts::table.description();
    assert_eq!(description.comment, Some("registered accounts"));
    assert_eq!(description.unique_constraints, [&["name", "org"][..]]);
    assert_eq!(description.indexes[0].name, "ix_accounts_created_at");
    let balance = description.column("balance").expect("balance");
    assert_eq!(balance.check, Some("balance >= 0"));
    assert_eq!(
        balance.default,
        Some(philtre::schema::ColumnDefault::Literal("0"))
    );
    assert_eq!(
        orders::table.description().foreign_keys[0].on_delete,
        Some(philtre::schema::ReferentialAction::Cascade)
    );
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn create_all_constraints_defaults_and_drop_all(conn) {
    let schema = schema();
    schema.create_all(conn)?;
    assert_eq!(names(raw_rows(conn, catalog_sql(DIALECT))?), ["a_nodes", "accounts", "b_nodes", "orders"]);
    schema.create_all_if_not_exists(conn)?;
    // Comments reach the databases that keep them.
    let comments = match DIALECT {
        Dialect::Sqlite => None,
        Dialect::Postgres => Some(
            "SELECT obj_description('accounts'::regclass, 'pg_class'),
                    col_description('accounts'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'note'))",
        ),
        Dialect::Mysql => Some(
            "SELECT t.table_comment, c.column_comment FROM information_schema.tables t
             JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name
             WHERE t.table_schema = database() AND t.table_name = 'accounts' AND c.column_name = 'note'",
        ),
    };
    if let Some(sql) = comments {
        assert_eq!(raw_rows(conn, sql)?, [["registered accounts", "free text"]]);
    }

    // Defaults fill what the INSERT leaves out.
    insert_into(accounts::table).values((accounts::name.eq("ann"), accounts::email.eq("ann@x"))).execute(conn)?;
    let row: (i32, String, i32, bool, Option<String>) = accounts::table
        .select((accounts::id, accounts::org, accounts::balance, accounts::active, accounts::note))
        .first(conn)?;
    assert_eq!(row, (1, "acme".to_owned(), 0, true, None));
    let created: time::PrimitiveDateTime = accounts::table.select(accounts::created_at).first(conn)?;
    assert!(created.year() >= 2024, "created_at defaults to now: {created}");

    // Each constraint, violated, gives its own error kind.
    let dup_email = insert_into(accounts::table).values((accounts::name.eq("bob"), accounts::email.eq("ann@x"))).execute(conn);
    assert_eq!(kind(dup_email), Some(ErrorKind::UniqueViolation));
    let dup_pair = insert_into(accounts::table).values((accounts::name.eq("ann"), accounts::email.eq("other@x"))).execute(conn);
    assert_eq!(kind(dup_pair), Some(ErrorKind::UniqueViolation), "UNIQUE (name, org)");
    let negative = update(accounts::table).set(accounts::balance.eq(-1)).execute(conn);
    assert_eq!(kind(negative), Some(ErrorKind::CheckViolation));
    // Leaving `name` out does not compile; a NULL written through SQL is the database's error.
    let no_name = update(accounts::table).set(accounts::name.eq(sql::<Text>("NULL"))).execute(conn);
    assert_eq!(kind(no_name), Some(ErrorKind::NotNullViolation));
    let orphan = insert_into(orders::table)
        .values((orders::account_id.eq(99), orders::sku.eq("a"), orders::qty.eq(1)))
        .execute(conn);
    assert_eq!(kind(orphan), Some(ErrorKind::ForeignKeyViolation));
    insert_into(orders::table).values((orders::account_id.eq(1), orders::sku.eq("a"), orders::qty.eq(1))).execute(conn)?;
    let zero = insert_into(orders::table).values((orders::account_id.eq(1), orders::sku.eq("b"), orders::qty.eq(0))).execute(conn);
    assert_eq!(kind(zero), Some(ErrorKind::CheckViolation), "table CHECK (qty > 0)");
    let same_sku = insert_into(orders::table).values((orders::account_id.eq(1), orders::sku.eq("a"), orders::qty.eq(2))).execute(conn);
    assert_eq!(kind(same_sku), Some(ErrorKind::UniqueViolation), "unique index (account_id, sku)");
    let order_id: i64 = orders::table.select(orders::id).first(conn)?;
    // PostgreSQL and MySQL burn a value on the failed INSERTs above; SQLite reuses it.
    assert!(order_id >= 1, "BIGINT auto-increment generated an id");

    // ON DELETE CASCADE and ON DELETE SET NULL.
    delete(accounts::table.find(1)).execute(conn)?;
    assert_eq!(orders::table.count().get_result::<i64>(conn)?, 0);
    insert_into(a_nodes::table).values((a_nodes::id.eq(1), a_nodes::b_id.eq(None::<i32>))).execute(conn)?;
    insert_into(b_nodes::table).values((b_nodes::id.eq(1), b_nodes::a_id.eq(Some(1)))).execute(conn)?;
    update(a_nodes::table).set(a_nodes::b_id.eq(Some(1))).execute(conn)?;
    let cycle = delete(b_nodes::table.find(1)).execute(conn);
    assert_eq!(kind(cycle), Some(ErrorKind::ForeignKeyViolation), "a_nodes.b_id still points at b 1");
    update(a_nodes::table).set(a_nodes::b_id.eq(None::<i32>)).execute(conn)?;
    delete(a_nodes::table.find(1)).execute(conn)?;
    let a_id: Option<i32> = b_nodes::table.select(b_nodes::a_id).first(conn)?;
    assert_eq!(a_id, None, "ON DELETE SET NULL");

    schema.drop_all(conn)?;
    assert!(names(raw_rows(conn, catalog_sql(DIALECT))?).is_empty(), "drop_all leaves nothing behind");
    schema.drop_all_if_exists(conn)?;
    Ok(())
}

fn single_table_and_index(conn) {
    philtre::schema::create_table(conn, accounts::table)?;
    philtre::schema::drop_table(conn, accounts::table)?;
    assert!(names(raw_rows(conn, catalog_sql(DIALECT))?).is_empty());
    Ok(())
}
}
