//! Window functions on every backend (MariaDB included): ranking, lag/lead, first_value,
//! aggregates over partitions and frames, and windows in grouped queries.

use philtre::prelude::*;
use philtre_tests::*;

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn row_number_counts_within_each_partition(conn) {
    seed(conn)?;
    let rows: Vec<(i32, i32, i64)> = posts::table
        .select((
            posts::id,
            posts::user_id,
            row_number().over(window().partition_by(posts::user_id).order_by(posts::id.desc())),
        ))
        .order(posts::id)
        .load(conn)?;
    assert_eq!(rows, [(1, 1, 2), (2, 1, 1), (3, 2, 1)]);
    Ok(())
}

fn rank_and_dense_rank_treat_ties_differently(conn) {
    seed(conn)?;
    conn.batch_execute("UPDATE users SET score = 3 WHERE id = 3")?;
    let rows: Vec<(String, i64, i64)> = users::table
        .select((
            users::name,
            rank().over(window().order_by(users::score.desc())),
            dense_rank().over(window().order_by(users::score.desc())),
        ))
        .order(users::id)
        .load(conn)?;
    assert_eq!(rows, [("Ann".into(), 1, 1), ("Bob".into(), 3, 2), ("Cy".into(), 1, 1)]);
    Ok(())
}

fn distribution_functions_and_the_last_value(conn) {
    seed(conn)?;
    conn.batch_execute("INSERT INTO users (id, name, email, score) VALUES (4, 'Di', NULL, 5)")?;
    // Scores in order: Bob 1, Cy 2, Ann 3, Di 5.
    let by_score = window().order_by(users::score);
    let rows: Vec<(String, f64, f64, i32, String)> = users::table
        .select((
            users::name,
            philtre::expression::percent_rank().over(by_score),
            philtre::expression::cume_dist().over(by_score),
            philtre::expression::ntile(2).over(by_score),
            philtre::expression::last_value(users::name).over(by_score.rows_between(
                FrameBound::UnboundedPreceding,
                FrameBound::UnboundedFollowing,
            )),
        ))
        .order(users::score)
        .load(conn)?;
    let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["Bob", "Cy", "Ann", "Di"]);
    let percent: Vec<f64> = rows.iter().map(|r| r.1).collect();
    assert!(percent.iter().zip([0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0]).all(|(a, b)| (a - b).abs() < 1e-9), "{percent:?}");
    let cumulative: Vec<f64> = rows.iter().map(|r| r.2).collect();
    assert_eq!(cumulative, [0.25, 0.5, 0.75, 1.0]);
    let halves: Vec<i32> = rows.iter().map(|r| r.3).collect();
    assert_eq!(halves, [1, 1, 2, 2]);
    assert!(rows.iter().all(|r| r.4 == "Di"), "the frame's last row is the highest score");
    Ok(())
}

fn lag_and_lead_read_neighbouring_rows(conn) {
    seed(conn)?;
    let by_id = window().order_by(users::id);
    let rows: Vec<(i32, Option<i32>, Option<String>, String)> = users::table
        .select((
            users::id,
            lag(users::score, 1).over(by_id),
            lead(users::name, 2).over(by_id),
            first_value(users::name).over(by_id),
        ))
        .order(users::id)
        .load(conn)?;
    assert_eq!(
        rows,
        [
            (1, None, Some("Cy".into()), "Ann".into()),
            (2, Some(3), None, "Ann".into()),
            (3, Some(1), None, "Ann".into()),
        ]
    );
    Ok(())
}

fn aggregates_over_windows_and_frames(conn) {
    seed(conn)?;
    let rows: Vec<(i32, i64, Option<i64>, Option<i64>)> = users::table
        .select((
            users::id,
            count_star().over(window()),
            sum(users::score).over(window().order_by(users::id).rows_between(
                FrameBound::UnboundedPreceding,
                FrameBound::CurrentRow,
            )),
            sum(users::score).over(window().order_by(users::id).rows_between(
                FrameBound::Preceding(1),
                FrameBound::Following(1),
            )),
        ))
        .order(users::id)
        .load(conn)?;
    assert_eq!(rows, [(1, 3, Some(3), Some(4)), (2, 3, Some(4), Some(6)), (3, 3, Some(6), Some(3))]);
    Ok(())
}

fn windows_rank_groups_in_a_grouped_query(conn) {
    seed(conn)?;
    let rows: Vec<(i32, i64, i64)> = posts::table
        .group_by(posts::user_id)
        .select((
            posts::user_id,
            count(posts::id),
            rank().over(window().order_by(count(posts::id).desc())),
        ))
        .order(posts::user_id)
        .load(conn)?;
    assert_eq!(rows, [(1, 2, 1), (2, 1, 2)]);
    Ok(())
}

fn window_over_an_outer_join_is_nullable_where_its_argument_is(conn) {
    seed(conn)?;
    let rows: Vec<(String, Option<String>)> = users::table
        .left_join(posts::table)
        .select((
            users::name,
            first_value(posts::title).over(window().partition_by(users::id).order_by(posts::id)),
        ))
        .order((users::id, posts::id))
        .load(conn)?;
    assert_eq!(rows[0], ("Ann".into(), Some("Hello".into())));
    assert_eq!(rows[3], ("Cy".into(), None));
    Ok(())
}
}
