//! WITH, WITH RECURSIVE and subqueries in FROM on every backend. Their names and column types
//! are declared with `table!` (never created); the query must return exactly those columns.

use philtre::expression::coalesce;
use philtre::prelude::*;
use philtre_tests::*;

philtre::table! {
    /// Posts per author (a CTE or derived table, never created).
    #[cte]
    post_counts (user_id) {
        user_id -> Integer references users(id),
        n -> BigInt,
    }
    /// Users with a score of at least 2.
    #[cte]
    strong (id) {
        id -> Integer,
        name -> Text,
    }
    /// The numbers 1 to 10, generated recursively.
    #[cte]
    series (x) {
        x -> Integer,
    }
    /// A real table: a tree of categories.
    categories (id) {
        id -> Integer,
        name -> Text,
        parent_id -> Nullable<Integer>,
    }
    /// The category tree with each node's depth.
    #[cte]
    tree (id) {
        id -> Integer,
        name -> Text,
        depth -> Integer,
    }
    /// The rank of each post within its author's posts.
    ranked (id) {
        id -> Integer,
        user_id -> Integer,
        rn -> BigInt,
    }
}

/// The number of posts of each author.
macro_rules! per_author {
    () => {
        posts::table
            .group_by(posts::user_id)
            .select((posts::user_id, count(posts::id)))
    };
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn a_cte_is_a_table_for_the_main_query(conn) {
    seed(conn)?;
    let counts = cte(post_counts::table, per_author!());
    // Joined along the foreign key declared on the CTE's table.
    let rows: Vec<(String, i64)> = users::table
        .inner_join(post_counts::table)
        .select((users::name, post_counts::n))
        .order(users::name)
        .with(counts)
        .load(conn)?;
    assert_eq!(rows, [("Ann".into(), 2), ("Bob".into(), 1)]);
    // Read in a subquery of the main query.
    let prolific: Vec<String> = users::table
        .filter(users::id.eq_any(post_counts::table.filter(post_counts::n.gt(1)).select(post_counts::user_id)))
        .select(users::name)
        .with(counts)
        .load(conn)?;
    assert_eq!(prolific, ["Ann"]);
    Ok(())
}

fn later_ctes_read_earlier_ones(conn) {
    seed(conn)?;
    let strong_users = cte(strong::table, users::table.filter(users::score.ge(2)).select((users::id, users::name)));
    let their_counts = cte(
        post_counts::table,
        posts::table
            .inner_join(strong::table.on(strong::id.eq(posts::user_id)))
            .group_by(posts::user_id)
            .select((posts::user_id, count(posts::id))),
    );
    let rows: Vec<(i32, i64)> = post_counts::table
        .select((post_counts::user_id, post_counts::n))
        .with((strong_users, their_counts))
        .load(conn)?;
    assert_eq!(rows, [(1, 2)]);
    Ok(())
}

fn a_recursive_cte_generates_a_series(conn) {
    seed(conn)?;
    let one = users::table.filter(users::id.eq(1)).select(users::id);
    let next = series::table.filter(series::x.lt(10)).select(series::x + 1);
    let numbers: Vec<i32> = series::table
        .select(series::x)
        .order(series::x)
        .with(recursive_cte(series::table, one.union_all(next)))
        .load(conn)?;
    assert_eq!(numbers, (1..=10).collect::<Vec<_>>());
    Ok(())
}

fn a_recursive_cte_walks_a_tree_to_any_depth(conn) {
    conn.batch_execute(
        "CREATE TABLE categories (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, parent_id INTEGER);
         INSERT INTO categories (id, name, parent_id) VALUES
             (1, 'root', NULL), (2, 'a', 1), (3, 'b', 1), (4, 'a1', 2), (5, 'a1x', 4), (6, 'other', NULL)",
    )?;
    let roots = categories::table
        .filter(categories::parent_id.is_null().and(categories::name.eq("root")))
        .select((categories::id, categories::name, sql::<Integer>("0")));
    let children = categories::table
        .inner_join(tree::table.on(categories::parent_id.eq(tree::id)))
        .select((categories::id, categories::name, tree::depth + 1));
    let rows: Vec<(String, i32)> = tree::table
        .select((tree::name, tree::depth))
        .order((tree::depth, tree::name))
        .with(recursive_cte(tree::table, roots.union_all(children)))
        .load(conn)?;
    assert_eq!(
        rows,
        [("root".into(), 0), ("a".into(), 1), ("b".into(), 1), ("a1".into(), 2), ("a1x".into(), 3)]
    );
    Ok(())
}

fn a_subquery_in_from_has_typed_columns(conn) {
    seed(conn)?;
    let strong_users = users::table
        .filter(users::score.ge(2))
        .select((users::id, users::name))
        .into_table(strong::table);
    let names: Vec<String> = strong_users
        .filter(strong::id.gt(1))
        .select(strong::name)
        .load(conn)?;
    assert_eq!(names, ["Cy"]);
    let everyone: Vec<(i32, String)> = strong_users.order(strong::id).load(conn)?;
    assert_eq!(everyone, [(1, "Ann".into()), (3, "Cy".into())]);
    // Joined along the declared foreign key, and grouped over.
    let counts = per_author!().into_table(post_counts::table);
    let rows: Vec<(String, i64)> = users::table
        .left_join(counts)
        .select((users::name, coalesce(post_counts::n, 0_i64)))
        .order(users::id)
        .load(conn)?;
    assert_eq!(rows, [("Ann".into(), 2), ("Bob".into(), 1), ("Cy".into(), 0)]);
    Ok(())
}

fn a_window_in_a_derived_table_is_filtered_outside(conn) {
    seed(conn)?;
    let ranked_posts = posts::table
        .select((
            posts::id,
            posts::user_id,
            row_number().over(window().partition_by(posts::user_id).order_by(posts::id.desc())),
        ))
        .into_table(ranked::table);
    let newest: Vec<i32> = ranked_posts
        .filter(ranked::rn.eq(1))
        .select(ranked::id)
        .order(ranked::id)
        .load(conn)?;
    assert_eq!(newest, [2, 3]);
    // A compound as a derived table.
    let ids = users::table
        .select(users::id)
        .union_all(posts::table.select(posts::user_id))
        .into_table(series::table);
    let total: Vec<(i32, i64)> = ids
        .group_by(series::x)
        .select((series::x, count_star()))
        .order(series::x)
        .load(conn)?;
    assert_eq!(total, [(1, 3), (2, 2), (3, 1)]);
    Ok(())
}
}
