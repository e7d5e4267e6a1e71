//! Reading inside JSON documents on every backend (`.get(key)`, `.as_text()`, `.as_integer()`
//! …), and PostgreSQL's JSONB and array operators.

use philtre::prelude::*;
use serde_json::{Value, json};

philtre::table! {
    docs (id) {
        id -> Integer,
        data -> Nullable<Json>,
    }
    pg_docs (id) {
        id -> Integer,
        body -> Jsonb,
        labels -> Array<Text>,
        nums -> Array<Integer>,
    }
}

fn first() -> Value {
    json!({
        "title": "A",
        "author": {"name": "Ann", "age": 41},
        "size": 3,
        "ratio": 1.5,
        "draft": false,
        "tags": ["x", "y"],
        "nothing": null,
        "quote": "it's \"quoted\""
    })
}

fn kind<T>(r: QueryResult<T>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn values_inside_json_read_alike_everywhere(conn) {
    Schema::new().table(docs::table).create_all(conn)?;
    insert_into(docs::table)
        .values(vec![
            (docs::id.eq(1), docs::data.eq(Some(first()))),
            (docs::id.eq(2), docs::data.eq(Some(json!({"title": "B", "size": "big", "ratio": "x", "draft": "no"})))),
            (docs::id.eq(3), docs::data.eq(None::<Value>)),
        ])
        .execute(conn)?;
    let one = docs::table.filter(docs::id.eq(1));

    let text: (Option<String>, Option<String>, Option<String>, Option<String>) = one
        .select((
            docs::data.get("title").as_text(),
            docs::data.get("author").get("name").as_text(),
            docs::data.get("tags").get(1).as_text(),
            docs::data.get("quote").as_text(),
        ))
        .first(conn)?;
    assert_eq!(text, (Some("A".into()), Some("Ann".into()), Some("y".into()), Some("it's \"quoted\"".into())));

    // Numbers and booleans as text are written as JSON writes them.
    let written: (Option<String>, Option<String>, Option<String>) = one
        .select((docs::data.get("size").as_text(), docs::data.get("ratio").as_text(), docs::data.get("draft").as_text()))
        .first(conn)?;
    assert_eq!(written, (Some("3".into()), Some("1.5".into()), Some("false".into())));

    let typed: (Option<i64>, Option<f64>, Option<bool>, Option<i64>) = one
        .select((
            docs::data.get("size").as_integer(),
            docs::data.get("ratio").as_float(),
            docs::data.get("draft").as_bool(),
            docs::data.get("author").get("age").as_integer(),
        ))
        .first(conn)?;
    assert_eq!(typed, (Some(3), Some(1.5), Some(false), Some(41)));

    // A missing key and JSON null are NULL as values; as JSON, null is a JSON null.
    let absent: (Option<String>, Option<String>, Option<i64>, Option<Value>, Option<Value>) = one
        .select((
            docs::data.get("missing").as_text(),
            docs::data.get("nothing").as_text(),
            docs::data.get("nothing").as_integer(),
            docs::data.get("missing"),
            docs::data.get("nothing"),
        ))
        .first(conn)?;
    assert_eq!(absent, (None, None, None, None, Some(Value::Null)));

    // Elements come back as JSON.
    let author: Option<Value> = one.select(docs::data.get("author")).first(conn)?;
    assert_eq!(author, Some(json!({"name": "Ann", "age": 41})));
    let tags: Option<Value> = one.select(docs::data.get("tags")).first(conn)?;
    assert_eq!(tags, Some(json!(["x", "y"])));

    // Filters and ordering on values inside the documents; a NULL document gives NULL.
    let big: Vec<i32> = docs::table
        .filter(docs::data.get("title").as_text().eq("A"))
        .filter(docs::data.get("size").as_integer().gt(2))
        .select(docs::id)
        .load(conn)?;
    assert_eq!(big, [1]);
    let titles: Vec<Option<String>> = docs::table
        .select(docs::data.get("title").as_text())
        .order(docs::id)
        .load(conn)?;
    assert_eq!(titles, [Some("A".into()), Some("B".into()), None]);

    // A value of another JSON type is an error, never a made-up number.
    let two = docs::table.filter(docs::id.eq(2));
    assert!(two.select(docs::data.get("size").as_integer()).first::<Option<i64>>(conn).is_err(), "\"big\" is not a number");
    assert!(two.select(docs::data.get("ratio").as_float()).first::<Option<f64>>(conn).is_err(), "\"x\" is not a number");
    assert!(two.select(docs::data.get("draft").as_bool()).first::<Option<bool>>(conn).is_err(), "\"no\" is not a boolean");
    assert!(one.select(docs::data.get("ratio").as_integer()).first::<Option<i64>>(conn).is_err(), "1.5 is not a whole number");
    let in_filter = docs::table.filter(docs::data.get("size").as_integer().gt(2)).select(docs::id).load::<i32>(conn);
    assert!(in_filter.is_err(), "the filter reads document 2's \"big\" too");

    // A key with `"` has no JSON path spelling on MySQL and SQLite: refused there.
    let odd = one.select(docs::data.get("a\"b").as_text()).first::<Option<String>>(conn);
    if DIALECT == philtre_tests::harness::Dialect::Postgres {
        assert_eq!(odd?, None);
    } else {
        assert_eq!(kind(odd), Some(ErrorKind::InvalidQuery));
    }
    Ok(())
}
}

mod postgres_operators {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [postgres];

    fn jsonb_and_array_operators(conn) {
        Schema::new().table(pg_docs::table).create_all(conn)?;
        insert_into(pg_docs::table)
            .values(vec![
                (pg_docs::id.eq(1), pg_docs::body.eq(first()), pg_docs::labels.eq(vec!["x".to_owned(), "y".to_owned()]), pg_docs::nums.eq(vec![1, 2, 3])),
                (pg_docs::id.eq(2), pg_docs::body.eq(json!({"draft": true})), pg_docs::labels.eq(Vec::<String>::new()), pg_docs::nums.eq(vec![7])),
            ])
            .execute(conn)?;
        let published: Vec<i32> = pg_docs::table.filter(pg_docs::body.jsonb_contains(json!({"draft": false}))).select(pg_docs::id).load(conn)?;
        assert_eq!(published, [1]);
        let with_author: Vec<i32> = pg_docs::table.filter(pg_docs::body.has_key("author")).select(pg_docs::id).load(conn)?;
        assert_eq!(with_author, [1]);
        let either: Vec<i32> = pg_docs::table.filter(pg_docs::body.has_any_key(&["author", "draft"])).select(pg_docs::id).order(pg_docs::id).load(conn)?;
        assert_eq!(either, [1, 2]);
        let both: Vec<i32> = pg_docs::table.filter(pg_docs::body.has_all_keys(&["author", "draft"])).select(pg_docs::id).load(conn)?;
        assert_eq!(both, [1]);
        let small: Vec<i32> = pg_docs::table.filter(pg_docs::body.jsonb_contained_by(json!({"draft": true, "other": 1}))).select(pg_docs::id).load(conn)?;
        assert_eq!(small, [2]);
        let jsonb_path: Option<String> = pg_docs::table.filter(pg_docs::id.eq(1)).select(pg_docs::body.get("author").get("name").as_text()).first(conn)?;
        assert_eq!(jsonb_path.as_deref(), Some("Ann"));

        let has_x: Vec<i32> = pg_docs::table.filter(pg_docs::labels.array_contains(vec!["x".to_owned()])).select(pg_docs::id).load(conn)?;
        assert_eq!(has_x, [1]);
        let any_of: Vec<i32> = pg_docs::table.filter(pg_docs::nums.array_overlaps(vec![3, 7])).select(pg_docs::id).order(pg_docs::id).load(conn)?;
        assert_eq!(any_of, [1, 2]);
        let within: Vec<i32> = pg_docs::table.filter(pg_docs::nums.array_contained_by(vec![1, 2, 3, 4])).select(pg_docs::id).load(conn)?;
        assert_eq!(within, [1]);
        let shape: Vec<(Option<i32>, Option<i32>, i32)> = pg_docs::table
            .select((pg_docs::nums.at(1), pg_docs::nums.at(5), pg_docs::labels.cardinality()))
            .order(pg_docs::id)
            .load(conn)?;
        assert_eq!(shape, [(Some(1), None, 2), (Some(7), None, 0)]);
        let tagged_y: Vec<i32> = pg_docs::table.filter(lit("y").eq(philtre::functions::array_any(pg_docs::labels))).select(pg_docs::id).load(conn)?;
        assert_eq!(tagged_y, [1]);
        let all_small: Vec<i32> = pg_docs::table.filter(lit(5).gt(philtre::functions::array_all(pg_docs::nums))).select(pg_docs::id).load(conn)?;
        assert_eq!(all_small, [1]);

        // Slices keep the array's type; past the end they shrink, outside it they are empty.
        let slices: Vec<(Vec<i32>, Vec<i32>, Vec<String>)> = pg_docs::table
            .select((pg_docs::nums.slice(2, 3), pg_docs::nums.slice(1, 10), pg_docs::labels.slice(3, 4)))
            .order(pg_docs::id)
            .load(conn)?;
        assert_eq!(slices, [(vec![2, 3], vec![1, 2, 3], vec![]), (vec![], vec![7], vec![])]);
        // unnest: one row per element, in order; a row with an empty array drops out.
        let pairs: Vec<(i32, String)> = pg_docs::table
            .select((pg_docs::id, philtre::functions::unnest(pg_docs::labels)))
            .order(pg_docs::id)
            .load(conn)?;
        assert_eq!(pairs, [(1, "x".to_owned()), (1, "y".to_owned())]);
        let elements: Vec<i32> = pg_docs::table
            .select(philtre::functions::unnest(pg_docs::nums.slice(1, 2)) * 10)
            .order(pg_docs::id)
            .load(conn)?;
        assert_eq!(elements, [10, 20, 70]);
        // As a derived table, the elements can be filtered, grouped and counted.
        philtre::table! { elements (n) { n -> Integer, } }
        let big: i64 = pg_docs::table
            .select(philtre::functions::unnest(pg_docs::nums))
            .into_table(elements::table)
            .filter(elements::n.gt(1))
            .select(count_star())
            .first(conn)?;
        assert_eq!(big, 3);
        Ok(())
    }
    }
}
