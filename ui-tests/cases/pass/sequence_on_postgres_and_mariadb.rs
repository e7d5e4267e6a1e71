use philtre::prelude::*;
use philtre::schema::Sequence;
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;

static TICKET_NO: Sequence = Sequence::new("ticket_no_seq");

fn next_pg(conn: &mut PgConnection) -> QueryResult<i64> {
    select(TICKET_NO.next_value()).get_result(conn)
}

fn next_mariadb(conn: &mut MysqlConnection) -> QueryResult<i64> {
    select(TICKET_NO.next_value()).get_result(conn)
}

fn main() {
    let _ = (next_pg, next_mariadb);
}
