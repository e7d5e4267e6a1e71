//! GROUP BY, HAVING and aggregates on every backend, with their result types.

use philtre::prelude::*;
use philtre_tests::*;
use rust_decimal::Decimal;

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn group_by_with_count(conn) {
    seed(conn)?;
    let rows: Vec<(i32, i64)> = posts::table
        .group_by(posts::user_id)
        .select((posts::user_id, count_star()))
        .order(posts::user_id)
        .load(conn)?;
    assert_eq!(rows, [(1, 2), (2, 1)]);
    let having: Vec<i32> = posts::table
        .group_by(posts::user_id)
        .having(count(posts::id).gt(1))
        .select(posts::user_id)
        .load(conn)?;
    assert_eq!(having, [1]);
    Ok(())
}

fn aggregates_have_nullable_result_types(conn) {
    seed(conn)?;
    let (total, top, low, mean, n): (Option<i64>, Option<String>, Option<i32>, Option<Decimal>, i64) =
        users::table
            .select((sum(users::score), max(users::name), min(users::score), avg(users::score), count(users::email)))
            .get_result(conn)?;
    assert_eq!(total, Some(6));
    assert_eq!(top.as_deref(), Some("Cy"));
    assert_eq!(low, Some(1));
    assert_eq!(mean, Some(Decimal::from(2)));
    assert_eq!(n, 2);
    // Over no rows, SUM/MIN/MAX/AVG are NULL and COUNT is 0.
    let empty: (Option<i64>, Option<String>, i64) = users::table
        .filter(users::id.gt(100))
        .select((sum(users::score), max(users::name), count_star()))
        .get_result(conn)?;
    assert_eq!(empty, (None, None, 0));
    Ok(())
}

fn grouping_by_a_primary_key_covers_the_tables_columns(conn) {
    seed(conn)?;
    let rows: Vec<(String, i64, Option<String>)> = users::table
        .left_join(posts::table)
        .group_by(users::id)
        .select((users::name, count(posts::id), max(posts::title)))
        .order(users::id)
        .load(conn)?;
    assert_eq!(
        rows,
        [("Ann".into(), 2, Some("Hello".into())), ("Bob".into(), 1, Some("Bobs".into())), ("Cy".into(), 0, None)]
    );
    Ok(())
}

fn grouping_by_a_key_and_the_columns_it_covers_in_any_order(conn) {
    seed(conn)?;
    // The way SQL users write it (and MySQL's ONLY_FULL_GROUP_BY accepts): the key and the
    // columns it determines, in either order, then selected, ordered and used in HAVING.
    let by_key_first: Vec<(i32, String, i64)> = users::table
        .left_join(posts::table)
        .group_by((users::id, users::name))
        .having(users::name.ne("Cy"))
        .select((users::id, users::name, count(posts::id)))
        .order(users::name)
        .load(conn)?;
    assert_eq!(by_key_first, [(1, "Ann".into(), 2), (2, "Bob".into(), 1)]);
    let by_key_last: Vec<(String, i32, i64)> = users::table
        .left_join(posts::table)
        .group_by((users::name, users::score, users::id))
        .select((users::name, users::score, count(posts::id)))
        .order(users::id)
        .load(conn)?;
    assert_eq!(by_key_last, [("Ann".into(), 3, 2), ("Bob".into(), 1, 1), ("Cy".into(), 2, 0)]);
    // A whole row struct, grouped by its key among other keys; a computed key beside columns.
    let users_with_posts: Vec<(User, i64)> = users::table
        .inner_join(posts::table)
        .group_by((users::email, users::id))
        .select((User::as_select(), count_star()))
        .order(users::id)
        .load(conn)?;
    assert_eq!(users_with_posts.iter().map(|(u, n)| (u.id, *n)).collect::<Vec<_>>(), [(1, 2), (2, 1)]);
    let initial = philtre::functions::substr(users::name, 1, 1);
    let by_initial: Vec<(String, String)> = users::table
        .group_by((initial, users::name))
        .select((grouped(initial), users::name))
        .order(users::name)
        .load(conn)?;
    assert_eq!(by_initial[0], ("A".into(), "Ann".into()));
    Ok(())
}

fn group_by_columns_of_several_tables_and_having_with_and(conn) {
    seed(conn)?;
    let rows: Vec<(String, Option<String>, i64)> = users::table
        .left_join(posts::table)
        .group_by((users::name, posts::body))
        .having(count_star().ge(1).and(sum(users::score).ge(1)))
        .select((users::name, posts::body, count_star()))
        .order((users::name, posts::body))
        .load(conn)?;
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3], ("Cy".into(), None, 1));
    Ok(())
}

fn a_computed_group_by_key_is_selected_with_grouped(conn) {
    seed(conn)?;
    let name_length = philtre::expression::length(users::name);
    let rows: Vec<(i32, i64)> = users::table
        .group_by(name_length)
        .select((grouped(name_length), count_star()))
        .order(grouped(name_length))
        .load(conn)?;
    assert_eq!(rows, [(2, 1), (3, 2)]);
    // MariaDB resolves HAVING against plain grouped columns only: the key is wrapped there.
    let long: Vec<i32> = users::table
        .group_by(name_length)
        .having(grouped(name_length).gt(2))
        .select(grouped(name_length))
        .load(conn)?;
    assert_eq!(long, [3]);
    Ok(())
}

fn computed_group_by_keys_with_constants_work_everywhere(conn) {
    seed(conn)?;
    insert_into(users::table)
        .values((users::name.eq("Annabel"), users::score.eq(12)))
        .execute(conn)?;
    // Constants in the key: PostgreSQL matches SELECT, HAVING and ORDER BY against GROUP BY by
    // their text, so the numbers are written as literals, the same in each.
    let prefix = philtre::expression::substr(users::name, 1, 2);
    let rows: Vec<(String, i64)> = users::table
        .group_by(prefix)
        .having(grouped(prefix).ne("Bo"))
        .select((grouped(prefix), count_star()))
        .order(grouped(prefix).desc())
        .load(conn)?;
    assert_eq!(rows, [("Cy".to_owned(), 1), ("An".to_owned(), 2)]);
    let tens = users::score / 10;
    let rows: Vec<(i32, i64)> = users::table
        .group_by(tens)
        .having(grouped(tens).ge(0))
        .select((grouped(tens), count_star()))
        .order(grouped(tens))
        .load(conn)?;
    assert_eq!(rows, [(0, 3), (1, 1)]);
    // The same query type with other constants renders other SQL: it is not cached by type.
    let mut by_five = |n: i32| -> QueryResult<Vec<(i32, i64)>> {
        let key = users::score / n;
        users::table
            .group_by(key)
            .select((grouped(key), count_star()))
            .order(grouped(key))
            .load(conn)
    };
    assert_eq!(by_five(5)?, [(0, 3), (2, 1)]);
    assert_eq!(by_five(100)?, [(0, 4)]);
    // Text stays bound, even in a key: only numbers and booleans become literals.
    let sql = debug_query::<Db, _>(&users::table.group_by(prefix).select(grouped(prefix))).to_string();
    assert!(!sql.contains("'"), "no quoted text in {sql}");
    Ok(())
}
}

/// `agg FILTER (WHERE …)`, written as such on PostgreSQL and SQLite and as
/// `agg(CASE WHEN … THEN arg END)` on MySQL and MariaDB.
mod aggregate_filter {
    use philtre::expression::{count_star, max, sum};
    use philtre::prelude::*;
    use philtre_tests::*;

    const ROWS: &str = "INSERT INTO users (id, name, email, score) VALUES (1, 'Ann', NULL, 3), (2, 'Bob', NULL, 1);
        INSERT INTO posts (id, user_id, title, body) VALUES
          (1, 1, 'Alpha', NULL), (2, 1, 'Beta', 'x'), (3, 1, 'Apple', 'y'), (4, 2, 'Bobs', NULL);";

    philtre_tests::backend_tests! {
    backends: [sqlite, postgres, mysql];

    fn aggregates_over_the_rows_that_meet_a_condition(conn) {
        conn.batch_execute(ROWS)?;
        let per_user: Vec<(i32, i64, i64, Option<i32>)> = posts::table
            .group_by(posts::user_id)
            .select((
                posts::user_id,
                count_star(),
                count_star().filter(posts::title.like("A%")),
                max(posts::id).filter(posts::body.is_not_null()),
            ))
            .order(posts::user_id)
            .load(conn)?;
        assert_eq!(per_user, [(1, 3, 2, Some(3)), (2, 1, 0, None)]);
        // In HAVING, and with a bound value inside the aggregate's argument.
        let busy: Vec<i32> = posts::table
            .group_by(posts::user_id)
            .having(sum(posts::id + 10).filter(posts::title.ne("Beta")).gt(20))
            .select(posts::user_id)
            .load(conn)?;
        assert_eq!(busy, [1]);
        // Without GROUP BY: one row for the table.
        let starting_with_b: i64 = posts::table
            .select(count_star().filter(posts::title.like("B%")))
            .get_result(conn)?;
        assert_eq!(starting_with_b, 2);
        Ok(())
    }
    }

    #[test]
    fn written_as_each_backend_reads_it() {
        let query = posts::table.select(count_star().filter(posts::id.gt(1)));
        assert_eq!(
            debug_query::<philtre_postgres::Pg, _>(&query).to_string(),
            r#"SELECT COUNT(*) FILTER (WHERE "posts"."id" > $1) FROM "posts" -- binds: [1]"#
        );
        assert_eq!(
            debug_query::<philtre_mysql::Mysql, _>(&query).to_string(),
            "SELECT COUNT(CASE WHEN `posts`.`id` > ? THEN 1 END) FROM `posts` -- binds: [1]"
        );
    }
}

mod subtotals {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [postgres, mysql];

    fn rollup_adds_subtotal_rows_whose_keys_read_none(conn) {
        seed(conn)?;
        // The keys of a rolled-up query read as `Option`: NULL in a subtotal row.
        let mut rows: Vec<(Option<i32>, Option<String>, i64)> = posts::table
            .group_by(rollup((posts::user_id, posts::body)))
            .select((posts::user_id, posts::body, count_star()))
            .load(conn)?;
        rows.sort();
        assert_eq!(
            rows,
            [
                (None, None, 3),
                (Some(1), None, 1),
                (Some(1), None, 2),
                (Some(1), Some("more".into()), 1),
                (Some(2), None, 1),
                (Some(2), Some("b".into()), 1),
            ]
        );
        // Every key reads as `Option`; HAVING sees the subtotal rows too.
        let mut per_user: Vec<(Option<i32>, Option<String>, i64)> = users::table
            .inner_join(posts::table)
            .group_by(rollup((users::id, users::name)))
            .having(count_star().ge(2))
            .select((users::id, users::name, count_star()))
            .load(conn)?;
        per_user.sort();
        assert_eq!(per_user, [(None, None, 3), (Some(1), None, 2), (Some(1), Some("Ann".into()), 2)]);
        let sql = debug_query::<Db, _>(&posts::table.group_by(rollup((posts::user_id, posts::body))).select(count_star())).to_string();
        let expected = if DIALECT == philtre_tests::harness::Dialect::Mysql {
            "GROUP BY `posts`.`user_id`, `posts`.`body` WITH ROLLUP"
        } else {
            "GROUP BY ROLLUP (\"posts\".\"user_id\", \"posts\".\"body\")"
        };
        assert!(sql.contains(expected), "{sql}");
        Ok(())
    }
    }

    mod cube_on_postgres {
        use super::*;
        use philtre::functions::{percentile_cont, percentile_disc};

        philtre_tests::backend_tests! {
        backends: [postgres];

        fn cube_groups_every_combination_of_its_keys(conn) {
            seed(conn)?;
            let mut rows: Vec<(Option<i32>, Option<String>, i64)> = posts::table
                .group_by(cube((posts::user_id, posts::body)))
                .select((posts::user_id, posts::body, count_star()))
                .order(posts::user_id)
                .load(conn)?;
            rows.sort();
            assert_eq!(
                rows,
                [
                    (None, None, 1),
                    (None, None, 3),
                    (None, Some("b".into()), 1),
                    (None, Some("more".into()), 1),
                    (Some(1), None, 1),
                    (Some(1), None, 2),
                    (Some(1), Some("more".into()), 1),
                    (Some(2), None, 1),
                    (Some(2), Some("b".into()), 1),
                ]
            );
            Ok(())
        }

        fn percentiles_of_each_group(conn) {
            seed(conn)?;
            let medians: Vec<(i32, Option<f64>, Option<i32>)> = posts::table
                .group_by(posts::user_id)
                .select((
                    posts::user_id,
                    percentile_cont(0.5, posts::id),
                    percentile_disc(0.5, posts::id),
                ))
                .order(posts::user_id)
                .load(conn)?;
            let ids: Vec<(i32, Vec<i32>)> = [1, 2]
                .iter()
                .map(|u| Ok((*u, posts::table.filter(posts::user_id.eq(*u)).select(posts::id).order(posts::id).load::<i32>(conn)?)))
                .collect::<QueryResult<_>>()?;
            for ((user, cont, disc), (same_user, sorted)) in medians.iter().zip(&ids) {
                assert_eq!(user, same_user);
                let n = sorted.len();
                let middle = if n % 2 == 1 {
                    f64::from(sorted[n / 2])
                } else {
                    (f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0
                };
                assert_eq!(*cont, Some(middle), "user {user}: {sorted:?}");
                assert_eq!(*disc, Some(sorted[(n - 1) / 2]), "user {user}: {sorted:?}");
            }
            let wrong = posts::table.select(percentile_cont(1.5, posts::id)).load::<Option<f64>>(conn);
            assert_eq!(wrong.map_err(|e| e.kind()).err(), Some(ErrorKind::InvalidQuery));
            Ok(())
        }

        fn grouping_sets_and_grouping_tell_totals_from_null_keys(conn) {
            seed(conn)?;
            // The seed has a post whose body is NULL: GROUPING() tells that group from the
            // subtotal rows, whose body reads NULL too.
            let mut rows: Vec<(Option<i32>, Option<String>, i32, i32, i64)> = posts::table
                .group_by(grouping_sets((posts::user_id, posts::body), &[&[0, 1], &[0], &[]]))
                .select((posts::user_id, posts::body, grouping(posts::user_id), grouping(posts::body), count_star()))
                .load(conn)?;
            rows.sort();
            let totals: Vec<_> = rows.iter().filter(|r| r.2 == 1).collect();
            assert_eq!(totals, [&(None, None, 1, 1, 3)], "one grand total over every post");
            let per_user: Vec<_> = rows.iter().filter(|r| r.2 == 0 && r.3 == 1).map(|r| (r.0, r.4)).collect();
            assert_eq!(per_user, [(Some(1), 2), (Some(2), 1)]);
            let own_null = rows.iter().filter(|r| r.1.is_none() && r.3 == 0).count();
            assert_eq!(own_null, 1, "the post without a body is a group of its own, GROUPING(body) = 0");
            let wrong = posts::table
                .group_by(grouping_sets((posts::user_id, posts::body), &[&[2]]))
                .select(count_star())
                .load::<i64>(conn);
            assert_eq!(wrong.map_err(|e| e.kind()).err(), Some(ErrorKind::InvalidQuery));
            Ok(())
        }
        }
    }
}
