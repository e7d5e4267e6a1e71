//! Reflection (`Inspect`) and schema diffs on every backend: a schema made by `create_all`
//! reads back as declared and diffs empty; a database changed by hand diffs to the changes,
//! labelled, whose DDL makes it match again without losing rows.

use philtre::prelude::*;
use philtre::reflection::diff::{ChangeKind, DiffOptions, Safety, diff};
use philtre::reflection::{ColumnType, Inspect, ReflectedSchema, declared_schema};
use philtre::schema::ReferentialAction;

philtre::table! {
    #[comment = "people who sign in"]
    #[unique(org, handle)]
    #[index(created_at)]
    rf_accounts (id) {
        #[auto_increment]
        id -> Integer,
        #[max_length = 40]
        org -> Text,
        #[max_length = 40]
        handle -> Text,
        #[unique]
        #[max_length = 80]
        email -> Text,
        #[default = 0]
        balance -> BigInt,
        #[precision(12, 2)]
        credit -> Nullable<Numeric>,
        #[default = true]
        active -> Bool,
        #[default = "basic"]
        #[max_length = 20]
        plan -> Text,
        #[default = current_timestamp]
        created_at -> Timestamp,
        #[comment = "free text"]
        bio -> Nullable<Text>,
        score -> Double,
        avatar -> Nullable<Binary>,
        born -> Nullable<Date>,
    }
    #[check(rf_posts_title_long: "length(title) > 2")]
    rf_posts (id) {
        #[auto_increment]
        id -> BigInt,
        account_id -> Integer references rf_accounts(id) on delete cascade,
        reviewer_id -> Nullable<Integer> references rf_accounts(id) on delete set null,
        parent_id -> Nullable<BigInt> references rf_posts(id),
        #[max_length = 200]
        title -> Text,
        body -> Text,
    }
    rf_tags (post_id, tag) {
        post_id -> BigInt references rf_posts(id) on delete cascade,
        #[max_length = 30]
        tag -> Text,
    }
}

philtre::table! {
    rf_people (id) {
        id -> Integer,
        favourite_note_id -> Nullable<Integer> references rf_notes(id),
    }
    rf_notes (id) {
        id -> Integer,
        author_id -> Integer references rf_people(id),
    }
}

fn schema() -> Schema {
    Schema::new()
        .table(rf_tags::table)
        .table(rf_posts::table)
        .table(rf_accounts::table)
}

fn live<C: Inspect>(conn: &mut C) -> philtre::QueryResult<ReflectedSchema> {
    conn.reflect_schema(None, false, &|name| name.starts_with("rf_"))
}

philtre_tests::backend_tests! {
    backends: [sqlite, postgres, mysql];

    fn new_tables_that_reference_each_other_are_created_by_the_diff(conn) {
        let cycle = Schema::new().table(rf_people::table).table(rf_notes::table);
        let declared = declared_schema::<Db>(&cycle)?;
        let found = diff::<Db>(&declared, &live(conn)?, &DiffOptions::default());
        let kinds: Vec<ChangeKind> = found.changes.iter().map(|c| c.kind).collect();
        let expected: &[ChangeKind] = match DIALECT {
            // SQLite keeps the keys inline: it checks references only when rows are written.
            philtre_tests::harness::Dialect::Sqlite => &[ChangeKind::CreateTable, ChangeKind::CreateTable],
            _ => &[ChangeKind::CreateTable, ChangeKind::CreateTable, ChangeKind::AddForeignKey],
        };
        assert_eq!(kinds, expected, "{found}");
        conn.apply_schema_changes(&found.sql())?;
        assert!(diff::<Db>(&declared, &live(conn)?, &DiffOptions::default()).is_empty());
        cycle.drop_all(conn)?;
        Ok(())
    }

    fn create_all_reads_back_as_declared(conn) {
        schema().create_all(conn)?;
        let live = live(conn)?;
        let names: Vec<&str> = live.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["rf_accounts", "rf_posts", "rf_tags"]);

        let accounts = live.table("rf_accounts").expect("reflected");
        assert_eq!(accounts.primary_key, ["id"]);
        let id = accounts.column("id").expect("id");
        assert!(id.auto_increment && !id.nullable, "{id:?}");
        let org = accounts.column("org").expect("org");
        assert_eq!(org.column_type, ColumnType::Text { max_length: Some(40) });
        let credit = accounts.column("credit").expect("credit");
        assert_eq!(credit.column_type, ColumnType::Numeric { precision: Some((12, 2)) });
        assert!(credit.nullable);
        assert_eq!(accounts.column("active").expect("active").column_type, ColumnType::Bool);
        assert_eq!(accounts.column("score").expect("score").column_type, ColumnType::Double);
        let plan = accounts.column("plan").expect("plan");
        assert!(plan.default.as_deref().is_some_and(|d| d.contains("basic")), "{plan:?}");
        assert!(accounts
            .unique_constraints
            .iter()
            .any(|u| u.columns == ["org", "handle"]));
        assert!(accounts.unique_constraints.iter().any(|u| u.columns == ["email"]));
        assert!(accounts
            .indexes
            .iter()
            .any(|i| i.name == "ix_rf_accounts_created_at" && i.columns == ["created_at"]));
        if DIALECT != philtre_tests::harness::Dialect::Sqlite {
            assert_eq!(accounts.comment.as_deref(), Some("people who sign in"));
            assert_eq!(accounts.column("bio").and_then(|c| c.comment.as_deref()), Some("free text"));
        }

        let posts = live.table("rf_posts").expect("reflected");
        assert_eq!(posts.foreign_keys.len(), 3, "{:?}", posts.foreign_keys);
        let author = &posts.foreign_keys[0];
        assert_eq!(
            (author.columns.as_slice(), author.foreign_table.as_str(), author.on_delete),
            (&["account_id".to_owned()][..], "rf_accounts", Some(ReferentialAction::Cascade))
        );
        assert_eq!(posts.foreign_keys[2].on_delete, Some(ReferentialAction::SetNull));
        assert_eq!(posts.foreign_keys[1].foreign_table, "rf_posts", "self-reference");
        assert!(posts.checks.iter().any(|c| c.name.as_deref() == Some("rf_posts_title_long")), "{:?}", posts.checks);

        let tags = live.table("rf_tags").expect("reflected");
        assert_eq!(tags.primary_key, ["post_id", "tag"]);

        let declared = declared_schema::<Db>(&schema())?;
        let changes = diff::<Db>(&declared, &live, &DiffOptions::default());
        assert!(changes.is_empty(), "{changes}");

        assert_eq!(
            conn.reflect_table(None, "rf_missing").map(|_| ()).map_err(|e| e.kind()),
            Err(ErrorKind::NotFound)
        );
        schema().drop_all(conn)?;
        Ok(())
    }

    fn a_database_changed_by_hand_is_brought_back_without_losing_rows(conn) {
        schema().create_all(conn)?;
        conn.batch_execute(
            "INSERT INTO rf_accounts (org, handle, email, score, bio) VALUES ('acme', 'ann', 'ann@example.com', 1.5, 'hello')",
        )?;
        conn.batch_execute("INSERT INTO rf_posts (account_id, title, body) VALUES (1, 'first', 'text')")?;
        // By hand: a column renamed, a column added, an index dropped, a table dropped.
        conn.batch_execute("ALTER TABLE rf_accounts RENAME COLUMN bio TO biography")?;
        conn.batch_execute("ALTER TABLE rf_accounts ADD COLUMN legacy INTEGER")?;
        let drop_index = match DIALECT {
            philtre_tests::harness::Dialect::Mysql => "DROP INDEX ix_rf_accounts_created_at ON rf_accounts",
            _ => "DROP INDEX ix_rf_accounts_created_at",
        };
        conn.batch_execute(drop_index)?;
        conn.batch_execute("DROP TABLE rf_tags")?;

        let declared = declared_schema::<Db>(&schema())?;
        let found = diff::<Db>(&declared, &live(conn)?, &DiffOptions::default());
        let kinds: Vec<(ChangeKind, Safety)> = found.changes.iter().map(|c| (c.kind, c.safety)).collect();
        assert!(kinds.contains(&(ChangeKind::CreateTable, Safety::Safe)), "{found}");
        assert!(kinds.contains(&(ChangeKind::CreateIndex, Safety::Safe)), "{found}");
        assert!(kinds.contains(&(ChangeKind::DropColumn, Safety::Destructive)), "{found}");
        assert!(kinds.contains(&(ChangeKind::AddColumn, Safety::Safe)), "{found}");
        assert!(
            found.rename_hints.iter().any(|h| h.contains("biography") && h.contains("bio")),
            "the rename is proposed, not guessed: {found}"
        );

        // Told about the rename, the diff keeps the column's values.
        let options = DiffOptions {
            renames: vec![("rf_accounts".into(), "biography".into(), "bio".into())],
            ..DiffOptions::default()
        };
        let planned = diff::<Db>(&declared, &live(conn)?, &options);
        assert!(
            planned.changes.iter().any(|c| c.kind == ChangeKind::RenameColumn),
            "{planned}"
        );
        conn.apply_schema_changes(&planned.sql())?;
        let after = diff::<Db>(&declared, &live(conn)?, &DiffOptions::default());
        assert!(after.is_empty(), "after applying:\n{planned}\nstill:\n{after}");

        let bio: Option<String> = rf_accounts::table.select(rf_accounts::bio).first(conn)?;
        assert_eq!(bio.as_deref(), Some("hello"));
        let posts: i64 = rf_posts::table.count().get_result(conn)?;
        assert_eq!(posts, 1, "no row of a referencing table was lost");
        schema().drop_all(conn)?;
        Ok(())
    }

    fn a_narrower_column_is_widened_back_and_labelled(conn) {
        match DIALECT {
            // SQLite cannot alter a column: the tables are made with a narrower one.
            philtre_tests::harness::Dialect::Sqlite => {
                for statement in schema().create_sql::<Db>(false)? {
                    let narrowed = statement.replace(r#""plan" VARCHAR(20)"#, r#""plan" VARCHAR(10)"#);
                    conn.batch_execute(&narrowed)?;
                }
            }
            _ => schema().create_all(conn)?,
        }
        conn.batch_execute(
            "INSERT INTO rf_accounts (org, handle, email, score) VALUES ('acme', 'ann', 'ann@example.com', 1.5)",
        )?;
        conn.batch_execute("INSERT INTO rf_posts (account_id, title, body) VALUES (1, 'first', 'text')")?;
        match DIALECT {
            philtre_tests::harness::Dialect::Postgres => {
                conn.batch_execute("ALTER TABLE rf_accounts ALTER COLUMN plan TYPE VARCHAR(10)")?
            }
            philtre_tests::harness::Dialect::Mysql => conn.batch_execute(
                "ALTER TABLE rf_accounts MODIFY plan VARCHAR(10) NOT NULL DEFAULT 'basic'",
            )?,
            philtre_tests::harness::Dialect::Sqlite => {}
        }
        let declared = declared_schema::<Db>(&schema())?;
        let found = diff::<Db>(&declared, &live(conn)?, &DiffOptions::default());
        assert_eq!(found.changes.len(), 1, "{found}");
        let expected = match DIALECT {
            philtre_tests::harness::Dialect::Sqlite => ChangeKind::RebuildTable,
            _ => ChangeKind::AlterColumn,
        };
        assert_eq!((found.changes[0].kind, found.changes[0].safety), (expected, Safety::NeedsCare), "{found}");
        conn.apply_schema_changes(&found.sql())?;
        assert!(diff::<Db>(&declared, &live(conn)?, &DiffOptions::default()).is_empty());
        let posts: i64 = rf_posts::table.count().get_result(conn)?;
        assert_eq!(posts, 1, "rebuilding the referenced table cascaded to no row");
        schema().drop_all(conn)?;
        Ok(())
    }
}

#[test]
fn sqlite_schema_changes_inside_a_transaction_are_refused() -> philtre::QueryResult<()> {
    let mut conn = philtre_sqlite::SqliteConnection::open(":memory:")?;
    let outcome = conn.transaction(|c: &mut philtre_sqlite::SqliteConnection| {
        c.apply_schema_changes(&["CREATE TABLE x (id INTEGER)".to_owned()])
    });
    assert_eq!(outcome.map_err(|e| e.kind()), Err(ErrorKind::InvalidQuery));
    assert!(!conn.table_names(None)?.contains(&"x".to_owned()));
    conn.apply_schema_changes(&["CREATE TABLE x (id INTEGER)".to_owned()])?;
    assert!(conn.table_names(None)?.contains(&"x".to_owned()));
    Ok(())
}

#[test]
fn sqlite_deferrable_keys_are_read_from_the_create_statement() -> philtre::QueryResult<()> {
    let mut conn = philtre_sqlite::SqliteConnection::open(":memory:")?;
    conn.batch_execute(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);
         CREATE TABLE c (id INTEGER PRIMARY KEY,
             a INTEGER NOT NULL REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED,
             b INTEGER NOT NULL REFERENCES p(id) NOT DEFERRABLE,
             e INTEGER, CONSTRAINT fk_c_e FOREIGN KEY (e) REFERENCES p(id) DEFERRABLE INITIALLY IMMEDIATE);",
    )?;
    let c = conn.reflect_table(None, "c")?;
    let by_column = |name: &str| {
        c.foreign_keys
            .iter()
            .find(|fk| fk.columns == [name])
            .map(|fk| (fk.name.clone(), fk.deferrable))
    };
    assert_eq!(by_column("a"), Some((None, Some(true))));
    assert_eq!(by_column("b"), Some((None, None)));
    assert_eq!(
        by_column("e"),
        Some((Some("fk_c_e".to_owned()), Some(false)))
    );
    Ok(())
}
