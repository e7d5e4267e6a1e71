//! Joins on every backend: ON from foreign keys or `.on(..)`, chains, nesting, CROSS JOIN, and the
//! nullable side of outer joins read into `Option`.

use philtre::prelude::*;
use philtre_tests::*;

fn tag(conn_tags: &[(i32, &str)]) -> String {
    let values: Vec<String> = conn_tags
        .iter()
        .map(|(post, tag)| format!("({post}, '{tag}')"))
        .collect();
    format!(
        "INSERT INTO post_tags (post_id, tag) VALUES {}",
        values.join(", ")
    )
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn inner_join_follows_the_foreign_key_in_either_direction(conn) {
    seed(conn)?;
    let rows: Vec<(String, String)> = users::table
        .inner_join(posts::table)
        .select((users::name, posts::title))
        .order((users::name, posts::title))
        .load(conn)?;
    assert_eq!(
        rows,
        [("Ann".into(), "Again".into()), ("Ann".into(), "Hello".into()), ("Bob".into(), "Bobs".into())]
    );
    let reverse: Vec<(String, String)> = posts::table
        .inner_join(users::table)
        .select((posts::title, users::name))
        .order(posts::id)
        .load(conn)?;
    assert_eq!(reverse[2], ("Bobs".into(), "Bob".into()));
    Ok(())
}

fn left_join_makes_the_right_side_nullable(conn) {
    seed(conn)?;
    let rows: Vec<(String, Option<String>)> = users::table
        .left_join(posts::table)
        .select((users::name, posts::title))
        .order((users::id, posts::id))
        .load(conn)?;
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3], ("Cy".into(), None));
    // A struct of the right side's columns reads into `Option<Struct>`.
    let pairs: Vec<(User, Option<Post>)> = users::table
        .left_join(posts::table)
        .select((User::as_select(), Post::as_select()))
        .order((users::id, posts::id))
        .load(conn)?;
    assert_eq!(pairs[0].1.as_ref().map(|p| p.title.as_str()), Some("Hello"));
    assert_eq!(pairs[3].0.name, "Cy");
    assert_eq!(pairs[3].1, None);
    // Without `.select`, every column of both tables; the right side as one optional row.
    let all: Vec<(User, Option<Post>)> = users::table
        .left_join(posts::table)
        .order((users::id, posts::id))
        .load(conn)?;
    assert_eq!(all, pairs);
    // A nullable column of the right side stays `Option`, and `IS NULL` is never NULL.
    let bodies: Vec<(Option<String>, bool)> = users::table
        .left_join(posts::table)
        .select((posts::body, posts::id.is_null()))
        .order((users::id, posts::id))
        .load(conn)?;
    assert_eq!(bodies, [(None, false), (Some("more".into()), false), (Some("b".into()), false), (None, true)]);
    Ok(())
}

fn anti_join_finds_users_without_posts(conn) {
    seed(conn)?;
    let lonely: Vec<String> = users::table
        .left_join(posts::table)
        .filter(posts::id.is_null())
        .select(users::name)
        .load(conn)?;
    assert_eq!(lonely, ["Cy"]);
    Ok(())
}

fn explicit_on_condition(conn) {
    seed(conn)?;
    let rows: Vec<(String, Option<String>)> = users::table
        .left_join(posts::table.on(posts::user_id.eq(users::id).and(posts::title.ne("Hello"))))
        .select((users::name, posts::title))
        .order(users::id)
        .load(conn)?;
    assert_eq!(
        rows,
        [("Ann".into(), Some("Again".into())), ("Bob".into(), Some("Bobs".into())), ("Cy".into(), None)]
    );
    // Tables without a foreign key between them join on any condition.
    let same_score: Vec<(i32, i32)> = posts::table
        .inner_join(post_tags::table.on(post_tags::post_id.eq(posts::id)))
        .select((posts::id, post_tags::post_id))
        .load(conn)?;
    assert!(same_score.is_empty());
    Ok(())
}

fn chains_of_three_tables_and_nested_joins(conn) {
    seed(conn)?;
    conn.batch_execute(&tag(&[(1, "rust"), (1, "sql"), (3, "db")]))?;
    let rows: Vec<(String, String, String)> = users::table
        .inner_join(posts::table)
        .inner_join(post_tags::table)
        .select((users::name, posts::title, post_tags::tag))
        .order(post_tags::tag)
        .load(conn)?;
    assert_eq!(rows[0], ("Bob".into(), "Bobs".into(), "db".into()));
    assert_eq!(rows.len(), 3);
    // `users LEFT JOIN (posts JOIN post_tags ON …) ON …`: both inner tables become nullable.
    let nested: Vec<(String, Option<String>, Option<String>)> = users::table
        .left_join(
            posts::table
                .inner_join(post_tags::table)
                .on(posts::user_id.eq(users::id)),
        )
        .select((users::name, posts::title, post_tags::tag))
        .order((users::id, post_tags::tag))
        .load(conn)?;
    assert_eq!(nested.len(), 4);
    assert_eq!(nested[3], ("Cy".into(), None, None));
    // Left joins in a chain: each right side nullable on its own.
    let chain: Vec<(String, Option<i32>, Option<String>)> = users::table
        .left_join(posts::table)
        .left_join(post_tags::table)
        .select((users::name, posts::id, post_tags::tag))
        .filter(users::id.eq(3).or(post_tags::tag.eq("db")))
        .order(users::id)
        .load(conn)?;
    assert_eq!(chain, [("Bob".into(), Some(3), Some("db".into())), ("Cy".into(), None, None)]);
    Ok(())
}

fn right_join_makes_the_left_side_nullable(conn) {
    seed(conn)?;
    let rows: Vec<(Option<String>, String)> = posts::table
        .right_join(users::table)
        .select((posts::title, users::name))
        .order((users::id, posts::id))
        .load(conn)?;
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3], (None, "Cy".into()));
    Ok(())
}
fn an_alias_joins_a_table_to_itself(conn) {
    seed(conn)?;
    let rival = philtre::alias!(users as rival);
    // Each user with every user who scores higher.
    let rows: Vec<(String, String)> = users::table
        .inner_join(rival.on(rival.column(users::score).gt(users::score)))
        .select((users::name, rival.column(users::name)))
        .order((users::name, rival.column(users::name)))
        .load(conn)?;
    assert_eq!(rows, [("Bob".into(), "Ann".into()), ("Bob".into(), "Cy".into()), ("Cy".into(), "Ann".into())]);
    // Left-joined, the alias's columns are nullable like any outer-joined table's.
    let best: Vec<(String, Option<i32>)> = users::table
        .left_join(rival.on(rival.column(users::score).gt(users::score)))
        .select((users::name, rival.column(users::id)))
        .filter(rival.column(users::id).is_null())
        .load(conn)?;
    assert_eq!(best, [("Ann".into(), None)]);
    // A nullable column compares with a non-null one: whose email is another user's name.
    conn.batch_execute("UPDATE users SET email = 'Bob' WHERE name = 'Ann'")?;
    let named: Vec<(String, String)> = users::table
        .inner_join(rival.on(rival.column(users::email).eq(users::name)))
        .select((users::name, rival.column(users::name)))
        .load(conn)?;
    assert_eq!(named, [("Bob".into(), "Ann".into())]);
    // Whole structs through the alias; on the outer side of a join, an `Option<User>`.
    let pairs: Vec<(User, Option<User>)> = users::table
        .left_join(rival.on(rival.column(users::email).eq(users::name)))
        .select((User::as_select(), rival.as_select::<User>()))
        .order(users::id)
        .load(conn)?;
    assert_eq!(pairs.len(), 3);
    assert_eq!(pairs[1].1.as_ref().map(|u| u.name.as_str()), Some("Ann"));
    assert_eq!(pairs[0].1, None);
    Ok(())
}

fn two_aliases_of_one_table_and_an_alias_as_the_main_source(conn) {
    seed(conn)?;
    let author = philtre::alias!(users as author);
    let other = philtre::alias!(users as other);
    // Posts with their author and another user of a lower score, three FROM entries from
    // two tables.
    let rows: Vec<(String, String, String)> = posts::table
        .inner_join(author.on(author.column(users::id).eq(posts::user_id)))
        .inner_join(other.on(other.column(users::score).lt(author.column(users::score))))
        .select((posts::title, author.column(users::name), other.column(users::name)))
        .order((posts::id, other.column(users::id)))
        .load(conn)?;
    assert_eq!(
        rows,
        [
            ("Hello".into(), "Ann".into(), "Bob".into()),
            ("Hello".into(), "Ann".into(), "Cy".into()),
            ("Again".into(), "Ann".into(), "Bob".into()),
            ("Again".into(), "Ann".into(), "Cy".into()),
        ]
    );
    // An alias is a FROM source of its own: filtered, grouped, selected from.
    let names: Vec<String> = author
        .filter(author.column(users::score).ge(2))
        .select(author.column(users::name))
        .order(author.column(users::name).desc())
        .load(conn)?;
    assert_eq!(names, ["Cy", "Ann"]);
    let everyone: Vec<User> = author.order(author.column(users::id)).load(conn)?;
    assert_eq!(everyone.len(), 3);
    assert_eq!(everyone[1].email.as_deref(), Some("bob@x"));
    let sql = debug_query::<Db, _>(&author.select(author.column(users::id))).to_string();
    assert!(sql.contains("AS "), "{sql}");
    Ok(())
}
}

mod full_join {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [sqlite, postgres];

    fn full_join_makes_both_sides_nullable(conn) {
        seed(conn)?;
        conn.batch_execute(&tag(&[(1, "rust")]))?;
        let rows: Vec<(Option<String>, Option<String>)> = users::table
            .full_join(post_tags::table.on(post_tags::tag.eq(users::name)))
            .select((users::name, post_tags::tag))
            .load(conn)?;
        assert_eq!(rows.len(), 4);
        assert!(rows.contains(&(None, Some("rust".into()))));
        assert!(rows.contains(&(Some("Cy".into()), None)));
        Ok(())
    }
    }
}

mod cross_join {
    use philtre::prelude::*;
    use philtre_tests::*;

    philtre_tests::backend_tests! {
    backends: [sqlite, postgres, mysql];

    fn every_pair_filtered_afterwards(conn) {
        conn.batch_execute(
            "INSERT INTO users (id, name, email, score) VALUES (1, 'Ann', NULL, 3), (2, 'Bob', NULL, 1);
             INSERT INTO posts (id, user_id, title, body) VALUES (1, 1, 'Hello', NULL), (2, 1, 'Again', NULL), (3, 2, 'Bobs', NULL);",
        )?;
        let pairs: Vec<(String, String)> = users::table
            .cross_join(posts::table)
            .order((users::id, posts::id))
            .select((users::name, posts::title))
            .load(conn)?;
        assert_eq!(pairs.len(), 6, "2 users × 3 posts");
        assert_eq!(pairs[0], ("Ann".to_owned(), "Hello".to_owned()));
        assert_eq!(pairs[5], ("Bob".to_owned(), "Bobs".to_owned()));
        // Other users' posts: a condition on the pairs.
        let others: Vec<(String, String)> = users::table
            .cross_join(posts::table)
            .filter(posts::user_id.ne(users::id))
            .order((users::id, posts::id))
            .select((users::name, posts::title))
            .load(conn)?;
        assert_eq!(
            others,
            [("Ann".to_owned(), "Bobs".to_owned()), ("Bob".to_owned(), "Hello".to_owned()), ("Bob".to_owned(), "Again".to_owned())]
        );
        Ok(())
    }
    }

    #[test]
    fn written_as_cross_join() {
        let query = users::table.cross_join(posts::table).select(users::id);
        assert_eq!(
            debug_query::<philtre_postgres::Pg, _>(&query).to_string(),
            r#"SELECT "users"."id" FROM "users" CROSS JOIN "posts" -- binds: []"#
        );
    }
}
