//! The book's "Functions and operators" tables are true: every row is rendered here on each
//! backend and compared with the book's cells, and every function and operator listed here has
//! its row in the book.

use philtre::expression::{
    abs, array_agg, ceil, char_length, cume_dist, current_date, current_time, current_timestamp,
    date_add, date_part, date_trunc, day, exp, floor, greatest, hour, last_value, least, length,
    ln, lower, minute, month, now, nth_value, ntile, percent_rank, position, power, random,
    replace, round, round_to, row, second, sign, sqrt, string_agg, substr, trim, upper, year,
};
use philtre::prelude::*;

philtre::table! {
    t (id) {
        id -> Integer,
        x -> Double,
        y -> Double,
        n -> Integer,
        m -> Nullable<Integer>,
        s -> Text,
        d -> Date,
        ts -> Timestamp,
        flag -> Bool,
        j -> Json,
        jb -> Jsonb,
        nums -> Array<Integer>,
        iv -> Interval,
    }
}

/// The SQL of `SELECT <expression> FROM t`, the expression alone, with identifiers unquoted
/// and every placeholder written `?`.
fn shown(sql: &str) -> String {
    let expression = sql
        .strip_prefix("SELECT ")
        .and_then(|rest| rest.rsplit_once(" FROM ").map(|(e, _)| e))
        .unwrap_or_else(|| panic!("not a SELECT … FROM: {sql}"));
    let mut out = expression
        .replace("\"t\".", "")
        .replace("`t`.", "")
        .replace(['"', '`'], "");
    // `$12` → `?` (a `$` without digits, as in SQLite's JSON path `'$'`, stays).
    let mut from = 0;
    while let Some(found) = out[from..].find('$') {
        let start = from + found;
        let end = out[start + 1..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(out.len(), |i| start + 1 + i);
        if end > start + 1 {
            out.replace_range(start..end, "?");
        }
        from = start + 1;
    }
    out
}

struct Row {
    rust: &'static str,
    sqlite: Option<String>,
    postgres: Option<String>,
    mysql: Option<String>,
}

/// A row rendered on the backends named (all three unless `pg_only`).
macro_rules! row {
    ($rust:literal, $expr:expr) => {
        Row {
            rust: $rust,
            sqlite: Some(shown(
                &debug_query::<philtre_sqlite::Sqlite, _>(&t::table.select($expr)).sql(),
            )),
            postgres: Some(shown(
                &debug_query::<philtre_postgres::Pg, _>(&t::table.select($expr)).sql(),
            )),
            mysql: Some(shown(
                &debug_query::<philtre_mysql::Mysql, _>(&t::table.select($expr)).sql(),
            )),
        }
    };
    (pg_only $rust:literal, $expr:expr) => {
        Row {
            rust: $rust,
            sqlite: None,
            postgres: Some(shown(
                &debug_query::<philtre_postgres::Pg, _>(&t::table.select($expr)).sql(),
            )),
            mysql: None,
        }
    };
}

fn rows() -> Vec<Row> {
    vec![
        // Comparisons and logic.
        row!("x.eq(y)", t::x.eq(t::y)),
        row!("x.ne(1.5)", t::x.ne(1.5)),
        row!("x.lt(y)", t::x.lt(t::y)),
        row!("x.le(y)", t::x.le(t::y)),
        row!("x.gt(y)", t::x.gt(t::y)),
        row!("x.ge(y)", t::x.ge(t::y)),
        row!("n.between(1, 9)", t::n.between(1, 9)),
        row!("n.gt(2.5)", t::n.gt(2.5)),
        row!("m.is_null()", t::m.is_null()),
        row!("m.is_not_null()", t::m.is_not_null()),
        row!("n.eq_any([1, 2])", t::n.eq_any([1, 2])),
        row!("n.ne_all([1, 2])", t::n.ne_all([1, 2])),
        row!("m.is_distinct_from(n)", t::m.is_distinct_from(t::n)),
        row!("m.is_not_distinct_from(n)", t::m.is_not_distinct_from(t::n)),
        row!("flag.and(n.gt(0))", t::flag.and(t::n.gt(0))),
        row!("flag.or(n.gt(0))", t::flag.or(t::n.gt(0))),
        row!("not(flag)", not(t::flag)),
        row!("row((n, s)).gt((1, \"a\"))", row((t::n, t::s)).gt((1, "a"))),
        row!(
            "row((n, s)).eq_any([(1, \"a\")])",
            row((t::n, t::s)).eq_any([(1, "a")])
        ),
        row!("s.bool_op(\"~\", \"^a\")", t::s.bool_op("~", "^a")),
        row!("n.op(\"&\", 4)", t::n.op("&", 4)),
        // Arithmetic.
        row!("x + y", t::x + t::y),
        row!("x - 1.0", t::x - 1.0),
        row!("n * 2", t::n * 2),
        row!("n / 2", t::n / 2),
        row!("x / y", t::x / t::y),
        row!("n * 1.5", t::n * 1.5),
        row!("n / 2.0", t::n / 2.0),
        row!("x * n", t::x * t::n),
        row!("n % 7", t::n % 7),
        row!("-n", -t::n),
        // Text.
        row!("s.concat(\"!\")", t::s.concat("!")),
        row!("s.like(\"a%\")", t::s.like("a%")),
        row!("s.not_like(\"a%\")", t::s.not_like("a%")),
        row!(
            "s.like(\"a!%%\").escape('!')",
            t::s.like("a!%%").escape('!')
        ),
        row!(pg_only "s.ilike(\"a%\")", t::s.ilike("a%")),
        row!("s.contains(\"50%\")", t::s.contains("50%")),
        row!("s.starts_with(\"a\")", t::s.starts_with("a")),
        row!("s.ends_with(\"a\")", t::s.ends_with("a")),
        row!("s.icontains(\"a\")", t::s.icontains("a")),
        row!("s.collate(\"C\")", t::s.collate("C")),
        row!("lower(s)", lower(t::s)),
        row!("upper(s)", upper(t::s)),
        row!("trim(s)", trim(t::s)),
        row!("length(s)", length(t::s)),
        row!("char_length(s)", char_length(t::s)),
        row!("substr(s, 2, 3)", substr(t::s, 2, 3)),
        row!("replace(s, \"a\", \"b\")", replace(t::s, "a", "b")),
        row!("position(\"b\", s)", position("b", t::s)),
        row!("lpad(s, 5, \"0\")", philtre::functions::lpad(t::s, 5, "0")),
        row!("rpad(s, 5, \" \")", philtre::functions::rpad(t::s, 5, " ")),
        // Numbers.
        row!("abs(n)", abs(t::n)),
        row!("sign(x)", sign(t::x)),
        row!("round(x)", round(t::x)),
        row!("round_to(x, 2)", round_to(t::x, 2)),
        row!("floor(x)", floor(t::x)),
        row!("ceil(x)", ceil(t::x)),
        row!("sqrt(x)", sqrt(t::x)),
        row!("power(x, 2.0)", power(t::x, 2.0)),
        row!("exp(x)", exp(t::x)),
        row!("ln(x)", ln(t::x)),
        row!("random()", random()),
        row!("greatest(x, y)", greatest(t::x, t::y)),
        row!("least(x, y)", least(t::x, t::y)),
        // NULL handling and conversion.
        row!("coalesce(m, 0)", coalesce(t::m, 0)),
        row!("nullif(n, 0)", nullif(t::n, 0)),
        row!("cast::<Text, _>(n)", cast::<Text, _>(t::n)),
        row!("cast::<Date, _>(ts)", cast::<Date, _>(t::ts)),
        row!("cast::<Timestamp, _>(s)", cast::<Timestamp, _>(t::s)),
        row!(
            "case_when(n.gt(0), \"+\").otherwise(\"-\")",
            case_when(t::n.gt(0), "+").otherwise("-")
        ),
        row!("lit(42)", lit(42)),
        // Dates and times.
        row!("now()", now()),
        row!("current_timestamp()", current_timestamp()),
        row!("current_date()", current_date()),
        row!("current_time()", current_time()),
        row!("year(d)", year(t::d)),
        row!("month(ts)", month(t::ts)),
        row!("day(ts)", day(t::ts)),
        row!("hour(ts)", hour(t::ts)),
        row!("minute(ts)", minute(t::ts)),
        row!("second(ts)", second(t::ts)),
        row!(
            "date_add(d, 1, date_part::Month)",
            date_add(t::d, 1, date_part::Month)
        ),
        row!(
            "date_add(ts, -7, date_part::Day)",
            date_add(t::ts, -7, date_part::Day)
        ),
        row!(
            "days_between(d, d)",
            philtre::functions::days_between(t::d, t::d)
        ),
        row!(
            "seconds_between(ts, ts)",
            philtre::functions::seconds_between(t::ts, t::ts)
        ),
        row!(pg_only "ts.add_interval(iv)", t::ts.add_interval(t::iv)),
        row!(pg_only "ts.sub_interval(iv)", t::ts.sub_interval(t::iv)),
        row!(pg_only "interval_between(ts, ts)", philtre::functions::interval_between(t::ts, t::ts)),
        row!(
            "date_trunc(date_part::Month, ts)",
            date_trunc(date_part::Month, t::ts)
        ),
        row!(
            "date_trunc(date_part::Minute, ts)",
            date_trunc(date_part::Minute, t::ts)
        ),
        row!(
            "date_trunc(date_part::Year, d)",
            date_trunc(date_part::Year, t::d)
        ),
        // JSON.
        row!("j.get(\"a\")", t::j.get("a")),
        row!("j.get(0)", t::j.get(0)),
        row!("j.get(\"a\").get(\"b\")", t::j.get("a").get("b")),
        row!("j.get(\"a\").as_text()", t::j.get("a").as_text()),
        row!("j.get(\"a\").as_integer()", t::j.get("a").as_integer()),
        row!(pg_only "jb.jsonb_contains(json!({\"a\": 1}))", t::jb.jsonb_contains(serde_json::json!({"a": 1}))),
        row!(pg_only "jb.jsonb_contained_by(json!({\"a\": 1}))", t::jb.jsonb_contained_by(serde_json::json!({"a": 1}))),
        row!(pg_only "jb.has_key(\"a\")", t::jb.has_key("a")),
        row!(pg_only "jb.has_any_key(&[\"a\", \"b\"])", t::jb.has_any_key(&["a", "b"])),
        row!(pg_only "jb.has_all_keys(&[\"a\", \"b\"])", t::jb.has_all_keys(&["a", "b"])),
        // PostgreSQL arrays.
        row!(pg_only "nums.array_contains(vec![1, 2])", t::nums.array_contains(vec![1, 2])),
        row!(pg_only "nums.array_contained_by(vec![1, 2])", t::nums.array_contained_by(vec![1, 2])),
        row!(pg_only "nums.array_overlaps(vec![1, 2])", t::nums.array_overlaps(vec![1, 2])),
        row!(pg_only "nums.at(1)", t::nums.at(1)),
        row!(pg_only "nums.cardinality()", t::nums.cardinality()),
        row!(pg_only "nums.slice(2, 3)", t::nums.slice(2, 3)),
        row!(pg_only "unnest(nums)", philtre::functions::unnest(t::nums)),
        row!(pg_only "n.eq(array_any(nums))", t::n.eq(philtre::functions::array_any(t::nums))),
        row!(pg_only "n.gt(array_all(nums))", t::n.gt(philtre::functions::array_all(t::nums))),
        // Aggregates.
        row!("count_star()", count_star()),
        row!("count(m)", count(t::m)),
        row!("count_distinct(n)", count_distinct(t::n)),
        row!("sum(n)", sum(t::n)),
        row!("avg(x)", avg(t::x)),
        row!("min(s)", min(t::s)),
        row!("max(ts)", max(t::ts)),
        row!(
            "count_star().filter(n.gt(0))",
            count_star().filter(t::n.gt(0))
        ),
        row!("string_agg(s, \", \")", string_agg(t::s, ", ")),
        row!(
            "string_agg(s, \", \").order_by(n)",
            string_agg(t::s, ", ").order_by(t::n)
        ),
        row!(pg_only "array_agg(n).order_by(s)", array_agg(t::n).order_by(t::s)),
        row!(pg_only "percentile_cont(0.5, x)", philtre::functions::percentile_cont(0.5, t::x)),
        row!(pg_only "percentile_disc(0.5, n)", philtre::functions::percentile_disc(0.5, t::n)),
        // Window functions (each with `.over(window()…)`).
        row!(
            "row_number().over(window().order_by(n))",
            row_number().over(window().order_by(t::n))
        ),
        row!(
            "rank().over(window().order_by(n))",
            rank().over(window().order_by(t::n))
        ),
        row!(
            "dense_rank().over(window().order_by(n))",
            dense_rank().over(window().order_by(t::n))
        ),
        row!(
            "percent_rank().over(window().order_by(n))",
            percent_rank().over(window().order_by(t::n))
        ),
        row!(
            "cume_dist().over(window().order_by(n))",
            cume_dist().over(window().order_by(t::n))
        ),
        row!(
            "ntile(4).over(window().order_by(n))",
            ntile(4).over(window().order_by(t::n))
        ),
        row!(
            "lag(s, 1).over(window().order_by(n))",
            lag(t::s, 1).over(window().order_by(t::n))
        ),
        row!(
            "lead(s, 1).over(window().order_by(n))",
            lead(t::s, 1).over(window().order_by(t::n))
        ),
        row!(
            "first_value(s).over(window().partition_by(flag))",
            first_value(t::s).over(window().partition_by(t::flag))
        ),
        row!(
            "last_value(s).over(window().partition_by(flag))",
            last_value(t::s).over(window().partition_by(t::flag))
        ),
        row!(
            "nth_value(s, 2).over(window().order_by(n))",
            nth_value(t::s, 2).over(window().order_by(t::n))
        ),
        row!(
            "sum(n).over(window().partition_by(flag))",
            sum(t::n).over(window().partition_by(t::flag))
        ),
    ]
}

/// A cell of the book's table: the SQL in backticks, `|` escaped as Markdown tables need.
fn cell(sql: &Option<String>) -> String {
    match sql {
        Some(sql) => format!("`{}`", sql.replace('|', "\\|")),
        None => "—".to_owned(),
    }
}

#[test]
fn the_book_lists_every_function_with_its_sql() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../book/src/functions-and-operators.md"
    );
    let book = std::fs::read_to_string(path).expect("the book's chapter");
    let mut wanted = String::new();
    let mut wrong = Vec::new();
    let rows = rows();
    for row in &rows {
        let line = format!(
            "| `{}` | {} | {} | {} |",
            row.rust,
            cell(&row.sqlite),
            cell(&row.postgres),
            cell(&row.mysql)
        );
        if !book.lines().any(|l| l == line) {
            wrong.push(line.clone());
        }
        wanted.push_str(&line);
        wanted.push('\n');
    }
    // No row in the book that is not rendered here.
    let listed: Vec<&str> = rows.iter().map(|r| r.rust).collect();
    let stale: Vec<&str> = book
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter(|l| {
            let rust = l[3..].split('`').next().unwrap_or_default();
            !listed.contains(&rust)
        })
        .collect();
    assert!(
        wrong.is_empty() && stale.is_empty(),
        "the book's rows differ from what philtre renders.\nMissing or wrong:\n{}\nNot rendered here:\n{}\nAll rows as rendered:\n{wanted}",
        wrong.join("\n"),
        stale.join("\n"),
    );
}
