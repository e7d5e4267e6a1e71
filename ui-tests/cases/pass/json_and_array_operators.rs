use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn titles_sqlite(conn: &mut SqliteConnection) -> QueryResult<Vec<Option<String>>> {
    docs::table
        .filter(docs::data.get("size").as_integer().gt(3))
        .select(docs::data.get("author").get("name").as_text())
        .load(conn)
}

fn titles_mysql(conn: &mut MysqlConnection) -> QueryResult<Vec<Option<String>>> {
    docs::table.select(docs::data.get("tags").get(0).as_text()).load(conn)
}

fn operators_pg(conn: &mut PgConnection) -> QueryResult<Vec<(i32, Option<String>, i32)>> {
    docs::table
        .filter(docs::body.has_key("draft"))
        .filter(docs::labels.array_contains(vec!["rust".to_owned()]))
        .select((docs::id, docs::labels.at(1), docs::labels.cardinality()))
        .load(conn)
}

fn elements_pg(conn: &mut PgConnection) -> QueryResult<Vec<(i32, String, Vec<String>)>> {
    docs::table
        .select((
            docs::id,
            philtre::functions::unnest(docs::labels),
            docs::labels.slice(1, 2),
        ))
        .load(conn)
}

fn main() {
    let _ = (titles_sqlite, titles_mysql, operators_pg, elements_pg);
}
