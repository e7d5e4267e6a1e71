//! Dynamic queries on every backend: boxed SELECTs extended at run time, and conditions built
//! from optional input, used in SELECT, UPDATE and DELETE.

use philtre::prelude::*;
use philtre::query::BoxedCondition;
use philtre_tests::*;

/// What a search form might send.
#[derive(Default)]
struct Search<'s> {
    name_like: Option<&'s str>,
    min_score: Option<i32>,
    has_email: Option<bool>,
    sort: &'s [&'s str],
    page_size: Option<i64>,
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn a_boxed_select_grows_from_optional_input(conn) {
    fn search_users(conn: &mut Conn, search: &Search<'_>) -> QueryResult<Vec<String>> {
        let mut query = users::table.select(users::name).into_boxed::<Db>();
        if let Some(pattern) = search.name_like {
            query = query.filter(users::name.like(pattern.to_string()));
        }
        if let Some(min) = search.min_score {
            query = query.filter(users::score.ge(min));
        }
        match search.has_email {
            Some(true) => query = query.filter(users::email.is_not_null()),
            Some(false) => query = query.filter(users::email.is_null()),
            None => {}
        }
        for key in search.sort {
            query = match *key {
                "score" => query.order(users::score.desc()),
                _ => query.order(users::name),
            };
        }
        query.limit(search.page_size).load(conn)
    }

    seed(conn)?;
    assert_eq!(search_users(conn, &Search { sort: &["name"], ..Search::default() })?, ["Ann", "Bob", "Cy"]);
    assert_eq!(
        search_users(conn, &Search { min_score: Some(2), sort: &["score"], ..Search::default() })?,
        ["Ann", "Cy"]
    );
    assert_eq!(
        search_users(conn, &Search { has_email: Some(true), name_like: Some("%y"), ..Search::default() })?,
        ["Cy"]
    );
    assert_eq!(
        search_users(conn, &Search { sort: &["score", "name"], page_size: Some(1), ..Search::default() })?,
        ["Ann"]
    );
    Ok(())
}

fn boxed_queries_join_group_and_clone(conn) {
    seed(conn)?;
    let base = users::table
        .inner_join(posts::table)
        .select((users::name, posts::title))
        .order(users::name)
        .into_boxed::<Db>();
    let anns: Vec<(String, String)> = base.clone().filter(users::name.eq("Ann")).order(posts::title).load(conn)?;
    assert_eq!(anns, [("Ann".into(), "Again".into()), ("Ann".into(), "Hello".into())]);
    let titled: Vec<(String, String)> = base.filter(posts::title.like("B%")).load(conn)?;
    assert_eq!(titled, [("Bob".into(), "Bobs".into())]);
    let counts: Vec<(i32, i64)> = posts::table
        .group_by(posts::user_id)
        .select((posts::user_id, count(posts::id)))
        .into_boxed::<Db>()
        .order(count(posts::id).desc())
        .offset(1)
        .limit(5)
        .load(conn)?;
    assert_eq!(counts, [(2, 1)]);
    Ok(())
}

fn boxed_conditions_built_in_a_loop_filter_select_update_and_delete(conn) {
    seed(conn)?;
    let names = ["Ann", "Cy"];
    let mut any_name: Option<BoxedCondition<'_, _, Db>> = None;
    for name in names {
        let this = users::name.eq(name);
        any_name = Some(match any_name {
            None => BoxedCondition::new(this),
            Some(so_far) => so_far.or(this),
        });
    }
    let Some(any_name) = any_name else { unreachable!("two names were given") };
    let picked: Vec<i32> = users::table
        .filter(any_name.clone())
        .select(users::id)
        .order(users::id)
        .load(conn)?;
    assert_eq!(picked, [1, 3]);
    let scored = any_name.clone().and(users::score.gt(2));
    let changed = update(users::table).set(users::score.eq(10)).filter(scored).execute(conn)?;
    assert_eq!(changed, 1);
    let deleted = delete(posts::table)
        .filter(BoxedCondition::new(posts::user_id.eq(1)).and(posts::title.ne("Hello")))
        .execute(conn)?;
    assert_eq!(deleted, 1);
    let scores: Vec<i32> = users::table.filter(any_name).select(users::score).order(users::id).load(conn)?;
    assert_eq!(scores, [10, 2]);
    Ok(())
}
}
