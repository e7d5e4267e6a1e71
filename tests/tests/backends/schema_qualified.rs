//! Tables declared in a schema (`#[schema = "…"]`): a PostgreSQL schema, a MySQL database, an
//! attached SQLite database. Queries, DML, the session and DDL name them `schema.table`.

use philtre::orm::{Registry, Session};
use philtre::prelude::*;
use philtre_tests::harness::{Dialect, RawRows};

philtre::table! {
    #[schema = "philtre_reports"]
    reports (id) {
        id -> Integer,
        #[max_length = 40]
        title -> Text,
    }
    #[schema = "philtre_reports"]
    #[index(report_id)]
    report_lines (id) {
        id -> Integer,
        report_id -> Integer references reports(id) on delete cascade,
        amount -> Integer,
    }
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = reports)]
struct Report {
    id: i32,
    title: String,
}

fn prepare(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "ATTACH DATABASE ':memory:' AS philtre_reports",
        Dialect::Postgres => {
            "DROP SCHEMA IF EXISTS philtre_reports CASCADE; CREATE SCHEMA philtre_reports"
        }
        Dialect::Mysql => {
            "DROP DATABASE IF EXISTS philtre_reports; CREATE DATABASE philtre_reports"
        }
    }
}

fn tables(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => {
            "SELECT name FROM philtre_reports.sqlite_master WHERE type = 'table' ORDER BY name"
        }
        _ => {
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'philtre_reports' ORDER BY table_name"
        }
    }
}

fn names(rows: RawRows) -> Vec<String> {
    let mut names: Vec<String> = rows
        .into_iter()
        .filter_map(|r| r.into_iter().next())
        .collect();
    names.sort();
    names
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn tables_in_a_schema_are_created_queried_and_dropped(conn) {
    conn.batch_execute(prepare(DIALECT))?;
    let schema = Schema::new().table(report_lines::table).table(reports::table);
    let ddl = schema.create_sql::<Db>(false)?.join("\n");
    assert!(ddl.contains("philtre_reports") && ddl.contains("report_lines"), "{ddl}");
    schema.create_all(conn)?;
    assert_eq!(names(raw_rows(conn, tables(DIALECT))?), ["report_lines", "reports"]);

    // Reflected from their schema, the tables are as declared.
    use philtre::reflection::Inspect;
    let live = conn.reflect_schema(Some("philtre_reports"), false, &|_| true)?;
    assert_eq!(live.tables[0].schema.as_deref(), Some("philtre_reports"));
    let declared = philtre::reflection::declared_schema::<Db>(&schema)?;
    let found = philtre::reflection::diff::diff::<Db>(&declared, &live, &Default::default());
    assert!(found.is_empty(), "{found}");

    insert_into(reports::table).values((reports::id.eq(1), reports::title.eq("Q1"))).execute(conn)?;
    insert_into(report_lines::table)
        .values(vec![
            (report_lines::id.eq(1), report_lines::report_id.eq(1), report_lines::amount.eq(5)),
            (report_lines::id.eq(2), report_lines::report_id.eq(1), report_lines::amount.eq(7)),
        ])
        .execute(conn)?;
    let totals: Vec<(String, Option<i64>)> = reports::table
        .inner_join(report_lines::table)
        .group_by(reports::title)
        .select((reports::title, sum(report_lines::amount)))
        .load(conn)?;
    assert_eq!(totals, [("Q1".to_owned(), Some(12))]);
    update(report_lines::table.find(2)).set(report_lines::amount.eq(8)).execute(conn)?;

    // The session writes there too.
    let registry = Registry::new(&schema);
    let mut session = Session::new(&registry, &mut *conn);
    let key = session.add(Report { id: 2, title: "Q2".into() })?;
    session.commit()?;
    session.get_mut(key)?.title = "Q2 (final)".into();
    session.commit()?;
    drop(session);
    let titles: Vec<String> = reports::table.select(reports::title).order(reports::id).load(conn)?;
    assert_eq!(titles, ["Q1", "Q2 (final)"]);

    // ON DELETE CASCADE across the schema's tables.
    delete(reports::table.find(1)).execute(conn)?;
    assert_eq!(report_lines::table.count().get_result::<i64>(conn)?, 0);
    let dropped = philtre::schema::drop_index(conn, report_lines::table, "ix_report_lines_report_id");
    // MySQL keeps an index its foreign key needs.
    assert_eq!(dropped.is_ok(), DIALECT != Dialect::Mysql, "{dropped:?}");
    schema.drop_all(conn)?;
    assert!(names(raw_rows(conn, tables(DIALECT))?).is_empty());
    if DIALECT != Dialect::Sqlite {
        conn.batch_execute(&philtre::schema::ddl::drop_schema_sql::<Db>("philtre_reports", false)?)?;
    }
    Ok(())
}
}
