//! DDL beyond plain tables: generated columns, named constraints and naming conventions,
//! deferrable foreign keys, partial / expression / method indexes, temporary tables, sequences
//! and schemas — on every backend that has them, and a clear error on those that do not.

use philtre::prelude::*;
use philtre::schema::{NamingConvention, Sequence};
use philtre_tests::harness::{Dialect, RawRows};
use rust_decimal::Decimal;

philtre::table! {
    invoice_lines (id) {
        #[auto_increment]
        id -> Integer,
        qty -> Integer,
        #[precision(10, 2)]
        price -> Numeric,
        #[generated = "qty * price"]
        #[precision(12, 2)]
        amount -> Numeric,
    }
    #[check(qty_positive: "qty > 0")]
    #[unique(sku, batch)]
    stock (id) {
        id -> Integer,
        #[max_length = 20]
        sku -> Text,
        batch -> Integer,
        #[check = "qty < 1000"]
        qty -> Integer,
        #[unique]
        #[max_length = 20]
        code -> Text,
        warehouse_id -> Nullable<Integer> references warehouses(id),
    }
    warehouses (id) {
        id -> Integer,
    }
    #[unique_index(email, where = "active = true", name = "ux_members_active_email")]
    #[unique_index(expression = "lower(handle)", name = "ux_members_handle_lower")]
    #[index(joined, postgresql_using = "hash", mysql_using = "btree")]
    members (id) {
        id -> Integer,
        #[max_length = 50]
        email -> Text,
        #[max_length = 50]
        handle -> Text,
        active -> Bool,
        joined -> Integer,
    }
    parents (id) {
        id -> Integer,
    }
    children (id) {
        id -> Integer,
        parent_id -> Integer references parents(id) deferrable initially deferred,
    }
    #[temporary]
    scratch (id) {
        id -> Integer,
        #[max_length = 10]
        v -> Nullable<Text>,
    }
    tickets (id) {
        id -> Integer,
        no -> BigInt,
    }
    #[check = "lo <= hi"]
    spans (id) {
        id -> Integer,
        lo -> Integer,
        hi -> Integer,
    }
}

/// A line of an invoice as the session holds it; `amount` is computed by the database.
#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = invoice_lines)]
struct InvoiceLine {
    id: i32,
    qty: i32,
    price: Decimal,
    amount: Decimal,
}

static TICKET_NO: Sequence = Sequence::new("ticket_no_seq").start(1000).increment(5);

fn kind<T>(r: QueryResult<T>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

fn message<T: std::fmt::Debug>(r: QueryResult<T>) -> String {
    r.expect_err("an error").message().to_owned()
}

fn sorted(rows: RawRows) -> Vec<String> {
    let mut names: Vec<String> = rows.into_iter().map(|r| r.join(" ")).collect();
    names.sort();
    names
}

#[test]
fn descriptions_carry_the_new_options() {
    let amount = invoice_lines::table
        .description()
        .column("amount")
        .expect("amount");
    assert_eq!(
        amount.generated,
        Some(philtre::schema::Generated {
            sql: "qty * price",
            stored: true
        })
    );
    let stock = stock::table.description();
    assert_eq!(stock.checks[0].name, Some("qty_positive"));
    assert_eq!(stock.checks[0].sql, "qty > 0");
    let members = members::table.description();
    assert_eq!(members.indexes[0].where_sql, Some("active = true"));
    assert_eq!(members.indexes[1].expressions, ["lower(handle)"]);
    assert_eq!(members.indexes[2].name, "ix_members_joined");
    assert_eq!(members.indexes[2].postgresql_using, Some("hash"));
    assert_eq!(members.indexes[2].mysql_using, Some("btree"));
    assert_eq!(
        children::table.description().foreign_keys[0].deferrable,
        Some(philtre::schema::Deferrable::InitiallyDeferred)
    );
    assert!(scratch::table.description().temporary);
}

#[test]
fn generated_sql_on_each_database() {
    let one = |sql: Vec<String>| sql.join(";\n");
    let schema = Schema::new().table(invoice_lines::table);
    let pg = one(schema
        .create_sql::<philtre_postgres::Pg>(false)
        .expect("DDL"));
    assert!(
        pg.contains("\"amount\" NUMERIC(12, 2) GENERATED ALWAYS AS (qty * price) STORED NOT NULL"),
        "{pg}"
    );
    let my = one(schema
        .create_sql::<philtre_mysql::Mysql>(false)
        .expect("DDL"));
    assert!(
        my.contains("`amount` DECIMAL(12, 2) GENERATED ALWAYS AS (qty * price) STORED,"),
        "MariaDB refuses NOT NULL on a generated column: {my}"
    );
    let members = Schema::new().table(members::table);
    let pg = one(members
        .create_sql::<philtre_postgres::Pg>(false)
        .expect("DDL"));
    assert!(pg.contains("CREATE UNIQUE INDEX \"ux_members_active_email\" ON \"members\" (\"email\") WHERE active = true"), "{pg}");
    assert!(
        pg.contains(
            "CREATE UNIQUE INDEX \"ux_members_handle_lower\" ON \"members\" ((lower(handle)))"
        ),
        "{pg}"
    );
    assert!(
        pg.contains("CREATE INDEX \"ix_members_joined\" ON \"members\" USING hash (\"joined\")"),
        "{pg}"
    );
    let sqlite = one(members
        .create_sql::<philtre_sqlite::Sqlite>(false)
        .expect("DDL"));
    assert!(
        sqlite.contains("CREATE INDEX \"ix_members_joined\" ON \"members\" (\"joined\")"),
        "a method is one database's option: {sqlite}"
    );
    let mysql = members.create_sql::<philtre_mysql::Mysql>(false);
    assert!(message(mysql).contains("MySQL has no partial indexes"));

    let names = Schema::new()
        .table(warehouses::table)
        .table(stock::table)
        .naming_convention(NamingConvention::sqlalchemy());
    let pg = one(names
        .create_sql::<philtre_postgres::Pg>(false)
        .expect("DDL"));
    for clause in [
        "CONSTRAINT \"uq_stock_code\" UNIQUE (\"code\")",
        "CONSTRAINT \"ck_stock_qty\" CHECK (qty < 1000)",
        "CONSTRAINT \"pk_stock\" PRIMARY KEY (\"id\")",
        "CONSTRAINT \"uq_stock_sku\" UNIQUE (\"sku\", \"batch\")",
        "CONSTRAINT \"ck_stock_qty_positive\" CHECK (qty > 0)",
        "CONSTRAINT \"fk_stock_warehouse_id_warehouses\" FOREIGN KEY (\"warehouse_id\") REFERENCES \"warehouses\" (\"id\")",
    ] {
        assert!(pg.contains(clause), "{clause} in {pg}");
    }
    // The default convention leaves all but foreign keys and named checks to the database.
    let plain = one(Schema::new()
        .table(stock::table)
        .create_sql::<philtre_postgres::Pg>(false)
        .expect("DDL"));
    assert!(
        plain.contains("    PRIMARY KEY (\"id\")")
            && plain.contains("CONSTRAINT \"qty_positive\" CHECK (qty > 0)"),
        "{plain}"
    );

    // A convention that needs a check's name, given an unnamed one, is an error (as in
    // SQLAlchemy); a name PostgreSQL would cut short is refused.
    let unnamed_check = Schema::new()
        .table(spans::table)
        .naming_convention(NamingConvention::sqlalchemy());
    assert!(
        message(unnamed_check.create_sql::<philtre_postgres::Pg>(false)).contains("has no name")
    );
    assert!(
        Schema::new()
            .table(spans::table)
            .create_sql::<philtre_postgres::Pg>(false)
            .is_ok()
    );
    let long = NamingConvention {
        foreign_key:
            "fk_{table}_{columns}_{referred_table}_and_then_some_more_words_to_pass_the_limit"
                .into(),
        ..NamingConvention::default()
    };
    let too_long = Schema::new()
        .table(stock::table)
        .naming_convention(long.clone());
    assert!(
        message(too_long.create_sql::<philtre_postgres::Pg>(false))
            .contains("PostgreSQL keeps at most 63")
    );
    assert!(
        too_long.create_sql::<philtre_sqlite::Sqlite>(false).is_ok(),
        "SQLite keeps long names"
    );

    let deferrable = Schema::new().table(parents::table).table(children::table);
    assert!(
        message(deferrable.create_sql::<philtre_mysql::Mysql>(false))
            .contains("MySQL has no deferrable foreign keys")
    );
    let pg = one(deferrable
        .create_sql::<philtre_postgres::Pg>(false)
        .expect("DDL"));
    assert!(
        pg.contains("REFERENCES \"parents\" (\"id\") DEFERRABLE INITIALLY DEFERRED"),
        "{pg}"
    );

    let sequences = Schema::new().sequence(&TICKET_NO).table(tickets::table);
    let pg = sequences
        .create_sql::<philtre_postgres::Pg>(false)
        .expect("DDL");
    assert_eq!(
        pg[0],
        "CREATE SEQUENCE \"ticket_no_seq\" START WITH 1000 INCREMENT BY 5"
    );
    assert_eq!(
        sequences
            .drop_sql::<philtre_postgres::Pg>(true)
            .expect("DDL")
            .last()
            .map(String::as_str),
        Some("DROP SEQUENCE IF EXISTS \"ticket_no_seq\"")
    );
    assert!(
        message(sequences.create_sql::<philtre_sqlite::Sqlite>(false))
            .contains("SQLite has no sequences")
    );
    assert_eq!(
        kind(
            Sequence::new("s")
                .increment(0)
                .create_sql::<philtre_postgres::Pg>(false)
        ),
        Some(ErrorKind::InvalidQuery)
    );
    assert!(
        message(philtre::schema::ddl::create_schema_sql::<
            philtre_sqlite::Sqlite,
        >("x", false))
        .contains("SQLite has no schemas")
    );
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn generated_columns_are_computed_and_kept_current(conn) {
    Schema::new().table(invoice_lines::table).create_all(conn)?;
    insert_into(invoice_lines::table)
        .values((invoice_lines::qty.eq(3), invoice_lines::price.eq(Decimal::new(250, 2))))
        .execute(conn)?;
    let amount: Decimal = invoice_lines::table.select(invoice_lines::amount).first(conn)?;
    assert_eq!(amount, Decimal::new(750, 2));
    update(invoice_lines::table).set(invoice_lines::qty.eq(4)).execute(conn)?;
    let amount: Decimal = invoice_lines::table.select(invoice_lines::amount).first(conn)?;
    assert_eq!(amount, Decimal::new(1000, 2), "recomputed when a column it reads changes");
    let big: Vec<i32> = invoice_lines::table
        .filter(invoice_lines::amount.gt(Decimal::new(5, 0)))
        .select(invoice_lines::id)
        .load(conn)?;
    assert_eq!(big.len(), 1, "a generated column filters like any other");

    // Writing it behind the DSL's back: the database refuses, nothing is stored.
    let raw = conn.batch_execute("UPDATE invoice_lines SET amount = 1");
    assert!(raw.is_err(), "the database refuses to assign a generated column");
    let amount: Decimal = invoice_lines::table.select(invoice_lines::amount).first(conn)?;
    assert_eq!(amount, Decimal::new(1000, 2));
    Ok(())
}

fn the_session_never_writes_a_generated_column_and_reloads_it(conn) {
    use philtre::orm::{Registry, Session};
    let schema = Schema::new().table(invoice_lines::table);
    schema.create_all(conn)?;
    let registry = Registry::new(&schema);
    let mut session = Session::new(&registry, &mut *conn);
    let key = session.add(InvoiceLine { id: 0, qty: 3, price: Decimal::new(250, 2), amount: Decimal::ZERO })?;
    session.flush()?;
    // Only the database knows `amount` now: reading is refused until a refresh.
    let stale = session.get(key).map(|line| line.amount);
    assert_eq!(kind(stale), Some(ErrorKind::ObjectState));
    session.refresh(key)?;
    assert_eq!(session.get(key)?.amount, Decimal::new(750, 2));
    session.get_mut(key)?.qty = 4;
    session.flush()?;
    session.refresh(key)?;
    assert_eq!(session.get(key)?.amount, Decimal::new(1000, 2), "recomputed by the UPDATE");
    session.commit()?;
    // Changing the generated field itself is refused, and the flush writes nothing.
    session.get_mut(key)?.amount = Decimal::ONE;
    session.get_mut(key)?.qty = 5;
    let err = session.flush().expect_err("amount is computed");
    assert_eq!(err.kind(), ErrorKind::InvalidQuery);
    assert!(err.message().contains("`amount`, a generated column"), "{err}");
    session.rollback()?;
    drop(session);
    let stored: (i32, Decimal) = invoice_lines::table.select((invoice_lines::qty, invoice_lines::amount)).first(conn)?;
    assert_eq!(stored, (4, Decimal::new(1000, 2)));
    Ok(())
}

fn named_constraints_reach_the_catalog(conn) {
    let schema = Schema::new()
        .table(warehouses::table)
        .table(stock::table)
        .naming_convention(NamingConvention::sqlalchemy());
    schema.create_all(conn)?;
    let catalog = match DIALECT {
        Dialect::Sqlite => "SELECT sql FROM sqlite_master WHERE name = 'stock'",
        Dialect::Postgres => "SELECT conname FROM pg_constraint WHERE conrelid = 'stock'::regclass",
        Dialect::Mysql => "SELECT constraint_name FROM information_schema.table_constraints WHERE table_schema = database() AND table_name = 'stock'",
    };
    let found = sorted(raw_rows(conn, catalog)?);
    let expected: &[&str] = match DIALECT {
        Dialect::Sqlite => &[],
        Dialect::Postgres => &["ck_stock_qty", "ck_stock_qty_positive", "fk_stock_warehouse_id_warehouses", "pk_stock", "uq_stock_code", "uq_stock_sku"],
        // MySQL calls every primary key PRIMARY.
        Dialect::Mysql => &["PRIMARY", "ck_stock_qty", "ck_stock_qty_positive", "fk_stock_warehouse_id_warehouses", "uq_stock_code", "uq_stock_sku"],
    };
    if DIALECT == Dialect::Sqlite {
        let sql = found.join(" ");
        for name in ["pk_stock", "uq_stock_code", "uq_stock_sku", "ck_stock_qty", "ck_stock_qty_positive", "fk_stock_warehouse_id_warehouses"] {
            assert!(sql.contains(&format!("CONSTRAINT \"{name}\"")), "{name} in {sql}");
        }
    } else {
        assert_eq!(found, expected);
    }
    // A violated named check says which constraint it was.
    insert_into(warehouses::table).values(warehouses::id.eq(1)).execute(conn)?;
    let err = insert_into(stock::table)
        .values((stock::id.eq(1), stock::sku.eq("a"), stock::batch.eq(1), stock::qty.eq(0), stock::code.eq("c"), stock::warehouse_id.eq(Some(1))))
        .execute(conn)
        .expect_err("qty > 0");
    assert_eq!(err.kind(), ErrorKind::CheckViolation);
    assert!(err.to_string().contains("ck_stock_qty_positive"), "{err}");
    schema.drop_all(conn)?;
    Ok(())
}

fn indexes_with_conditions_expressions_and_methods(conn) {
    let schema = Schema::new().table(members::table);
    if DIALECT == Dialect::Mysql {
        assert_eq!(kind(schema.create_all(conn)), Some(ErrorKind::InvalidQuery));
        return Ok(());
    }
    schema.create_all(conn)?;
    let row = |id: i32, email: &str, handle: &str, active: bool| {
        insert_into(members::table).values((
            members::id.eq(id),
            members::email.eq(email.to_owned()),
            members::handle.eq(handle.to_owned()),
            members::active.eq(active),
            members::joined.eq(2020),
        ))
    };
    row(1, "a@x", "Ann", true).execute(conn)?;
    // Partial: only active members need distinct e-mails.
    row(2, "a@x", "Bob", false).execute(conn)?;
    row(3, "a@x", "Cy", false).execute(conn)?;
    assert_eq!(kind(row(4, "a@x", "Di", true).execute(conn)), Some(ErrorKind::UniqueViolation));
    // Expression: handles are unique regardless of case.
    assert_eq!(kind(row(5, "e@x", "ANN", false).execute(conn)), Some(ErrorKind::UniqueViolation));
    assert_eq!(members::table.count().get_result::<i64>(conn)?, 3);
    philtre::schema::drop_index(conn, members::table, "ux_members_handle_lower")?;
    row(5, "e@x", "ANN", false).execute(conn)?;
    Ok(())
}

fn deferrable_foreign_keys_are_checked_at_commit(conn) {
    let schema = Schema::new().table(parents::table).table(children::table);
    if DIALECT == Dialect::Mysql {
        assert!(message(schema.create_all(conn)).contains("deferrable"));
        return Ok(());
    }
    schema.create_all(conn)?;
    // The child before its parent: fine, as long as the parent is there at COMMIT.
    conn.transaction(|conn| {
        insert_into(children::table).values((children::id.eq(1), children::parent_id.eq(7))).execute(conn)?;
        insert_into(parents::table).values(parents::id.eq(7)).execute(conn)?;
        Ok(())
    })?;
    // A parent that never comes: the COMMIT fails, and nothing of the transaction stays.
    let orphan = conn.transaction(|conn| {
        insert_into(parents::table).values(parents::id.eq(8)).execute(conn)?;
        insert_into(children::table).values((children::id.eq(2), children::parent_id.eq(99))).execute(conn)?;
        Ok(())
    });
    assert_eq!(kind(orphan), Some(ErrorKind::ForeignKeyViolation));
    assert_eq!(parents::table.count().get_result::<i64>(conn)?, 1, "parent 8 rolled back with the orphan");
    assert_eq!(children::table.count().get_result::<i64>(conn)?, 1);
    // The connection is usable afterwards.
    insert_into(parents::table).values(parents::id.eq(9)).execute(conn)?;
    schema.drop_all(conn)?;
    Ok(())
}

fn temporary_tables_belong_to_their_connection(conn) {
    philtre::schema::create_table(conn, scratch::table)?;
    insert_into(scratch::table).values((scratch::id.eq(1), scratch::v.eq(Some("a")))).execute(conn)?;
    assert_eq!(scratch::table.count().get_result::<i64>(conn)?, 1);
    let mut other_db = open().expect("a second test database");
    let other: &mut Conn = &mut other_db;
    assert!(scratch::table.count().get_result::<i64>(other).is_err(), "another connection does not see it");
    philtre::schema::drop_table(conn, scratch::table)?;
    assert!(scratch::table.count().get_result::<i64>(conn).is_err());
    Ok(())
}
}

mod sequences {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [postgres, mysql];

    fn sequences_are_created_numbered_and_dropped(conn) {
        let schema = Schema::new().sequence(&TICKET_NO).table(tickets::table);
        schema.create_all(conn)?;
        let first: i64 = select(TICKET_NO.next_value()).get_result(conn)?;
        assert_eq!(first, 1000);
        insert_into(tickets::table)
            .values((tickets::id.eq(1), tickets::no.eq(TICKET_NO.next_value())))
            .execute(conn)?;
        let stored: i64 = tickets::table.select(tickets::no).first(conn)?;
        assert_eq!(stored, 1005);
        let next: i64 = select(TICKET_NO.next_value() + 0).get_result(conn)?;
        assert_eq!(next, 1010);
        schema.drop_all(conn)?;
        assert!(select(TICKET_NO.next_value()).get_result::<i64>(conn).is_err(), "dropped");
        Ok(())
    }

    fn schemas_are_created_and_dropped(conn) {
        let name = format!("philtre_schema_{}_{}", std::process::id(), DIALECT.sqlalchemy_name());
        conn.batch_execute(&philtre::schema::ddl::create_schema_sql::<Db>(&name, false)?)?;
        let listed = |conn: &mut Conn| -> QueryResult<usize> {
            Ok(raw_rows(conn, &format!("SELECT schema_name FROM information_schema.schemata WHERE schema_name = '{name}'"))?.len())
        };
        assert_eq!(listed(conn)?, 1);
        assert!(conn.batch_execute(&philtre::schema::ddl::create_schema_sql::<Db>(&name, false)?).is_err(), "it exists");
        conn.batch_execute(&philtre::schema::ddl::create_schema_sql::<Db>(&name, true)?)?;
        conn.batch_execute(&philtre::schema::ddl::drop_schema_sql::<Db>(&name, false)?)?;
        assert_eq!(listed(conn)?, 0);
        Ok(())
    }
    }
}
