//! UNION, UNION ALL, INTERSECT and EXCEPT on every backend, with ORDER BY and LIMIT over the
//! whole result, chains of operators, and a compound used as an IN subquery.

use philtre::prelude::*;
use philtre_tests::*;

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn union_removes_duplicates_and_union_all_keeps_them(conn) {
    seed(conn)?;
    let authors = posts::table.select(posts::user_id);
    let scored = users::table.filter(users::score.ge(2)).select(users::id);
    let mut union: Vec<i32> = authors.union(scored).load(conn)?;
    union.sort();
    assert_eq!(union, [1, 2, 3]);
    let mut all: Vec<i32> = authors.union_all(scored).load(conn)?;
    all.sort();
    assert_eq!(all, [1, 1, 1, 2, 3]);
    Ok(())
}

fn intersect_and_except_compare_whole_rows(conn) {
    seed(conn)?;
    let authors = posts::table.select(posts::user_id);
    let all_users = users::table.select(users::id);
    let mut both: Vec<i32> = all_users.intersect(authors).load(conn)?;
    both.sort();
    assert_eq!(both, [1, 2]);
    let lonely: Vec<i32> = all_users.except(authors).load(conn)?;
    assert_eq!(lonely, [3]);
    Ok(())
}

fn order_and_limit_apply_to_the_whole_compound(conn) {
    seed(conn)?;
    let names = users::table.select((users::name, users::id));
    let titles = posts::table.select((posts::title, posts::user_id));
    let query = names.union(titles).order((users::name.desc(), users::id)).limit(3).offset(1);
    let rows: Vec<(String, i32)> = query.load(conn)?;
    assert_eq!(rows, [("Cy".into(), 3), ("Bobs".into(), 2), ("Bob".into(), 2)]);
    // ORDER BY is rendered by position, which every database resolves against the result.
    assert!(debug_query::<Db, _>(&query).to_string().contains("ORDER BY 1 DESC, 2"));
    Ok(())
}

fn chained_operators_evaluate_left_to_right(conn) {
    seed(conn)?;
    let authors = posts::table.select(posts::user_id);
    let ann = users::table.filter(users::name.eq("Ann")).select(users::id);
    let cy = users::table.filter(users::name.eq("Cy")).select(users::id);
    // (authors UNION cy) EXCEPT ann: PostgreSQL and MySQL get parentheses, SQLite reads the
    // unparenthesised chain left to right.
    let mut rows: Vec<i32> = authors.union(cy).except(ann).load(conn)?;
    rows.sort();
    assert_eq!(rows, [2, 3]);
    // (authors INTERSECT ann) UNION cy, where INTERSECT would otherwise bind tighter.
    let mut rows: Vec<i32> = authors.union(cy).intersect(ann).load(conn)?;
    rows.sort();
    assert_eq!(rows, [1]);
    Ok(())
}

fn a_compound_with_bound_values_is_an_in_subquery(conn) {
    seed(conn)?;
    let picked = users::table
        .filter(users::name.eq("Bob"))
        .select(users::id)
        .union(posts::table.filter(posts::title.eq("Hello")).select(posts::user_id));
    let names: Vec<String> = users::table
        .filter(users::id.eq_any(picked))
        .select(users::name)
        .order(users::name)
        .load(conn)?;
    assert_eq!(names, ["Ann", "Bob"]);
    Ok(())
}
}

/// A NOT NULL column meets a nullable one in a UNION, with `.nullable()` or on its own.
mod nullable_sides {
    use philtre::prelude::*;
    use philtre_tests::*;

    philtre_tests::backend_tests! {
    backends: [sqlite, postgres, mysql];

    fn a_not_null_column_unions_with_a_nullable_one(conn) {
        conn.batch_execute(
            "INSERT INTO users (id, name, email, score) VALUES (1, 'Ann', NULL, 3);
             INSERT INTO posts (id, user_id, title, body) VALUES (1, 1, 'Hello', NULL), (2, 1, 'Again', 'text');",
        )?;
        let mut values: Vec<Option<String>> = users::table
            .select(users::name.nullable())
            .union(posts::table.select(posts::body))
            .load(conn)?;
        values.sort();
        assert_eq!(values, [None, Some("Ann".to_owned()), Some("text".to_owned())]);
        // Without `.nullable()`, in either order: the union's column is nullable.
        let mut on_its_own: Vec<Option<String>> = users::table
            .select(users::name)
            .union(posts::table.select(posts::body))
            .load(conn)?;
        on_its_own.sort();
        assert_eq!(on_its_own, values);
        let mut reversed: Vec<(i32, Option<String>)> = posts::table
            .select((posts::id, posts::body))
            .union_all(users::table.select((users::id, users::name)))
            .load(conn)?;
        reversed.sort();
        assert_eq!(reversed, [(1, None), (1, Some("Ann".to_owned())), (2, Some("text".to_owned()))]);
        Ok(())
    }
    }
}
