//! Eager loading along relationships (`load_with` + `selectin`), on every backend with one body:
//! every relationship kind, nesting, several at once, filters, order and per-parent limits,
//! empty parents, NULL foreign keys, and more parents than a statement can carry parameters.

use std::sync::Arc;

use philtre::orm::{
    LoadDsl, LoadWithDsl, RelationDsl, RelationFilters, With, children, load_related, many_to_many,
    parent, with_parent,
};
use philtre::prelude::*;
use philtre::schema::Schema;

philtre::table! {
    accounts (id) {
        id -> Integer,
        #[max_length = 50]
        name -> Text,
    }
    entries (id) {
        id -> Integer,
        account_id -> Integer references accounts(id),
        #[max_length = 100]
        title -> Text,
        published -> Bool,
    }
    notes (id) {
        id -> Integer,
        entry_id -> Integer references entries(id),
        #[max_length = 100]
        body -> Text,
    }
    teams (id) {
        id -> Integer,
        #[max_length = 50]
        name -> Text,
    }
    memberships (account_id, team_id) {
        account_id -> Integer references accounts(id),
        team_id -> Integer references teams(id),
    }
    staff (id) {
        id -> Integer,
        #[max_length = 50]
        name -> Text,
        manager_id -> Nullable<Integer> references staff(id),
    }
    addresses (id) {
        id -> Integer,
        #[max_length = 50]
        city -> Text,
    }
    orders (id) {
        id -> Integer,
        billing_id -> Integer references addresses(id),
        shipping_id -> Nullable<Integer> references addresses(id),
    }
    profiles (id) {
        id -> Integer,
        #[unique]
        account_id -> Integer references accounts(id),
        #[max_length = 100]
        bio -> Text,
    }
    digits (n) {
        n -> Integer,
    }
    shops (id) {
        id -> Integer,
        #[max_length = 50]
        name -> Text,
    }
    shop_orders (shop_id, number) {
        shop_id -> Integer references shops(id),
        number -> Integer,
        #[max_length = 50]
        note -> Text,
    }
    #[foreign_key(order: (shop_id, order_number) references shop_orders (shop_id, number))]
    order_lines (id) {
        id -> Integer,
        shop_id -> Integer,
        order_number -> Integer,
        #[max_length = 50]
        item -> Text,
    }
    countries (code) {
        #[max_length = 2]
        code -> Text,
        #[max_length = 50]
        name -> Text,
    }
    cities (id) {
        id -> BigInt,
        #[max_length = 2]
        country_code -> Nullable<Text> references countries(code),
        #[max_length = 50]
        name -> Text,
    }
    districts (id) {
        id -> Integer,
        city_id -> BigInt references cities(id),
        #[max_length = 50]
        name -> Text,
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = shop_orders)]
struct ShopOrder {
    note: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = order_lines)]
struct Line {
    item: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = countries)]
struct Country {
    name: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = cities)]
struct City {
    name: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = districts)]
struct District {
    name: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = accounts)]
struct Account {
    id: i32,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = entries)]
struct Entry {
    id: i32,
    title: String,
    published: bool,
}

/// A row of `entries` that holds both keys a load along it needs: its account's (to match)
/// and its own (for its notes).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = entries)]
struct EntryWithKeys {
    id: i32,
    account_id: i32,
    title: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = notes)]
struct Note {
    id: i32,
    body: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = teams)]
struct Team {
    id: i32,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = staff)]
struct Person {
    id: i32,
    name: String,
}

/// A row of `staff` that holds its foreign key: the loader takes the key from it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = staff)]
struct Report {
    name: String,
    manager_id: Option<i32>,
}

/// A row of `cities` that holds its (nullable, text) foreign key.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = cities)]
struct CityWithCode {
    name: String,
    country_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = addresses)]
struct Address {
    id: i32,
    city: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = profiles)]
struct Profile {
    bio: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = orders)]
struct Order {
    id: i32,
}

fn schema() -> Schema {
    Schema::new()
        .table(accounts::table)
        .table(entries::table)
        .table(notes::table)
        .table(teams::table)
        .table(memberships::table)
        .table(staff::table)
        .table(addresses::table)
        .table(orders::table)
        .table(profiles::table)
        .table(digits::table)
        .table(shops::table)
        .table(shop_orders::table)
        .table(order_lines::table)
        .table(countries::table)
        .table(cities::table)
        .table(districts::table)
}

const SEED: &str = "
INSERT INTO accounts (id, name) VALUES (1, 'ann'), (2, 'bob'), (3, 'cy'), (4, 'dee');
INSERT INTO entries (id, account_id, title, published) VALUES
  (10, 1, 'a1', TRUE), (11, 1, 'a2', FALSE), (12, 1, 'a3', TRUE), (13, 1, 'a4', TRUE),
  (20, 2, 'b1', FALSE), (21, 2, 'b2', TRUE),
  (40, 4, 'd1', TRUE);
INSERT INTO notes (id, entry_id, body) VALUES
  (100, 10, 'n1'), (101, 10, 'n2'), (102, 12, 'n3'), (103, 21, 'n4'), (104, 40, 'n5');
INSERT INTO teams (id, name) VALUES (1, 'red'), (2, 'blue'), (3, 'empty');
INSERT INTO memberships (account_id, team_id) VALUES (1, 1), (1, 2), (2, 2), (4, 1);
INSERT INTO staff (id, name, manager_id) VALUES (1, 'boss', NULL);
INSERT INTO staff (id, name, manager_id) VALUES (2, 'mid', 1), (3, 'low', 2), (4, 'low2', 2);
INSERT INTO addresses (id, city) VALUES (1, 'Oslo'), (2, 'Rome'), (3, 'Lima');
INSERT INTO orders (id, billing_id, shipping_id) VALUES (1, 1, 2), (2, 1, NULL), (3, 3, 3);
INSERT INTO profiles (id, account_id, bio) VALUES (1, 1, 'ann here'), (2, 4, 'dee here');
";

fn names<T>(rows: &[T], name: impl Fn(&T) -> String) -> Vec<String> {
    rows.iter().map(name).collect()
}

fn seeded<C: Connection>(conn: &mut C) -> QueryResult<()>
where
    C::Backend: philtre::schema::SchemaDialect,
{
    schema().create_all(conn)?;
    conn.batch_execute(SEED)
}

/// The schema, and the digits 0 to 9 that the large loads cross-join into many rows.
fn schema_with_digits<C: Connection>(conn: &mut C) -> QueryResult<()>
where
    C::Backend: philtre::schema::SchemaDialect,
{
    schema().create_all(conn)?;
    conn.batch_execute(
        "INSERT INTO digits (n) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)",
    )
}

fn titles(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.title.as_str()).collect()
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn one_to_many_gives_each_parent_its_children_in_order(conn) {
    seeded(conn)?;
    let posts = children(entries::account_id).order_by(entries::id);
    let rows = accounts::table
        .order(accounts::id)
        .select(Account::as_select())
        .load_with::<Account>(posts.selectin::<Entry>(), conn)?;
    // Parents in the query's order; a parent without children gets an empty Vec.
    assert_eq!(names(&rows, |a| a.name.clone()), ["ann", "bob", "cy", "dee"]);
    let loaded: Vec<Vec<&str>> = rows.iter().map(|a| titles(a.related(posts))).collect();
    assert_eq!(loaded, [vec!["a1", "a2", "a3", "a4"], vec!["b1", "b2"], vec![], vec!["d1"]]);

    // The same rows as the hand-written query per parent.
    for account in &rows {
        let by_hand: Vec<Entry> = entries::table
            .filter(entries::account_id.eq(account.id))
            .order(entries::id)
            .select(Entry::as_select())
            .load(conn)?;
        assert_eq!(account.related(posts), &by_hand);
    }
    Ok(())
}

fn nested_and_several_relationships_load_in_one_query_per_level(conn) {
    seeded(conn)?;
    let posts = children(entries::account_id).order_by(entries::id);
    let comments = children(notes::entry_id).order_by(notes::id);
    let teams = many_to_many(memberships::account_id, memberships::team_id).order_by(teams::id);
    let rows = accounts::table
        .order(accounts::id)
        .select(Account::as_select())
        .load_with::<Account>(
            (
                posts.selectin::<Entry>().then(comments.selectin::<Note>()),
                teams.selectin::<Team>(),
            ),
            conn,
        )?;
    let ann = &rows[0];
    let ann_posts = ann.related(posts);
    assert_eq!(ann_posts.len(), 4);
    assert_eq!(ann_posts[0].title, "a1");
    let first_comments: Vec<&str> =
        ann_posts[0].related(comments).iter().map(|n| n.body.as_str()).collect();
    assert_eq!(first_comments, ["n1", "n2"]);
    assert!(ann_posts[1].related(comments).is_empty());
    assert_eq!(names(ann.related(teams), |t| t.name.clone()), ["red", "blue"]);
    // cy has neither posts nor teams.
    assert!(rows[2].related(posts).is_empty() && rows[2].related(teams).is_empty());
    // dee: one post with one comment, one team.
    let dee = &rows[3];
    assert_eq!(dee.related(posts)[0].related(comments)[0].body, "n5");
    assert_eq!(names(dee.related(teams), |t| t.name.clone()), ["red"]);
    Ok(())
}

fn many_to_one_shares_one_parent_and_nullable_keys_give_none(conn) {
    seeded(conn)?;
    let author = parent(entries::account_id);
    let rows = entries::table
        .order(entries::id)
        .select(Entry::as_select())
        .load_with::<Entry>(author.selectin::<Account>(), conn)?;
    assert_eq!(rows.len(), 7);
    // A NOT NULL foreign key gives the parent itself (an Arc), one value per parent.
    let first: &Arc<Account> = rows[0].related(author);
    assert_eq!(first.name, "ann");
    assert!(Arc::ptr_eq(first, rows[3].related(author)), "one Account for ann's 4 posts");
    assert_eq!(Arc::strong_count(first), 4);
    assert_eq!(rows[6].related(author).name, "dee");

    // Self-referential, nullable: each person's manager (`Option`), and each person's reports.
    let manager = parent(staff::manager_id);
    let reports = children(staff::manager_id).order_by(staff::id);
    let people = staff::table
        .order(staff::id)
        .select(Person::as_select())
        .load_with::<Person>((manager.selectin::<Person>(), reports.selectin::<Person>()), conn)?;
    let managers: Vec<Option<String>> = people
        .iter()
        .map(|p| p.related(manager).as_ref().map(|m| m.name.clone()))
        .collect();
    assert_eq!(managers, [None, Some("boss".into()), Some("mid".into()), Some("mid".into())]);
    let report_names: Vec<Vec<String>> =
        people.iter().map(|p| names(p.related(reports), |r| r.name.clone())).collect();
    assert_eq!(report_names, [vec!["mid"], vec!["low", "low2"], vec![], vec![]]);
    Ok(())
}

fn two_foreign_keys_to_one_table_are_two_relationships(conn) {
    seeded(conn)?;
    let billing = parent(orders::billing_id);
    let shipping = parent(orders::shipping_id);
    let rows = orders::table
        .order(orders::id)
        .select(Order::as_select())
        .load_with::<Order>((billing.selectin::<Address>(), shipping.selectin::<Address>()), conn)?;
    let cities: Vec<(String, Option<String>)> = rows
        .iter()
        .map(|o| {
            (
                o.related(billing).city.clone(),
                o.related(shipping).as_ref().map(|a| a.city.clone()),
            )
        })
        .collect();
    assert_eq!(
        cities,
        [
            ("Oslo".into(), Some("Rome".into())),
            ("Oslo".into(), None),
            ("Lima".into(), Some("Lima".into())),
        ]
    );
    // From the address: the orders billed to it and shipped to it.
    let billed = children(orders::billing_id).order_by(orders::id);
    let shipped = children(orders::shipping_id).order_by(orders::id);
    let places = addresses::table
        .order(addresses::id)
        .select(Address::as_select())
        .load_with::<Address>((billed.selectin::<Order>(), shipped.selectin::<Order>()), conn)?;
    let ids = |orders: &[Order]| orders.iter().map(|o| o.id).collect::<Vec<_>>();
    assert_eq!(ids(places[0].related(billed)), [1, 2]);
    assert!(places[0].related(shipped).is_empty());
    assert_eq!(ids(places[1].related(shipped)), [1]);
    assert_eq!(ids(places[2].related(billed)), [3]);
    Ok(())
}

fn many_to_many_loads_from_both_sides(conn) {
    seeded(conn)?;
    let members = many_to_many(memberships::team_id, memberships::account_id).order_by(accounts::id);
    let rows = teams::table
        .order(teams::id)
        .select(Team::as_select())
        .load_with::<Team>(members.selectin::<Account>(), conn)?;
    let by_team: Vec<Vec<String>> =
        rows.iter().map(|t| names(t.related(members), |a| a.name.clone())).collect();
    assert_eq!(by_team, [vec!["ann", "dee"], vec!["ann", "bob"], vec![]]);
    Ok(())
}

fn one_to_one_loads_an_option(conn) {
    seeded(conn)?;
    let profile = children(profiles::account_id).one();
    let rows = accounts::table
        .order(accounts::id)
        .select(Account::as_select())
        .load_with::<Account>(profile.selectin::<Profile>(), conn)?;
    let bios: Vec<Option<String>> =
        rows.iter().map(|a| a.related(profile).as_ref().map(|p| p.bio.clone())).collect();
    assert_eq!(bios, [Some("ann here".into()), None, None, Some("dee here".into())]);
    Ok(())
}

fn filtered_ordered_and_limited_relationships(conn) {
    seeded(conn)?;
    // "Published posts", newest first.
    let published = children(entries::account_id)
        .filter(entries::published.eq(true))
        .order_by(entries::id.desc());
    // "Each user's 2 latest posts": one query for every user, not one per user.
    let latest = children(entries::account_id).order_by(entries::id.desc()).limit_per_parent(2);
    let rows = accounts::table
        .order(accounts::id)
        .select(Account::as_select())
        .load_with::<Account>((published.selectin::<Entry>(), latest.selectin::<Entry>()), conn)?;
    let got: Vec<(Vec<&str>, Vec<&str>)> = rows
        .iter()
        .map(|a| (titles(a.related(published)), titles(a.related(latest))))
        .collect();
    assert_eq!(
        got,
        [
            (vec!["a4", "a3", "a1"], vec!["a4", "a3"]),
            (vec!["b2"], vec!["b2", "b1"]),
            (vec![], vec![]),
            (vec!["d1"], vec!["d1"]),
        ]
    );
    // A limit with a filter: each user's latest published post.
    let last_published = children(entries::account_id)
        .filter(entries::published.eq(true))
        .order_by(entries::id.desc())
        .limit_per_parent(1);
    let rows = accounts::table
        .order(accounts::id)
        .select(Account::as_select())
        .load_with::<Account>(last_published.selectin::<Entry>(), conn)?;
    let got: Vec<Vec<&str>> = rows.iter().map(|a| titles(a.related(last_published))).collect();
    assert_eq!(got, [vec!["a4"], vec!["b2"], vec![], vec!["d1"]]);
    Ok(())
}

fn loads_from_filtered_joined_and_boxed_queries(conn) {
    seeded(conn)?;
    let posts = children(entries::account_id).order_by(entries::id);
    // Filtered, with the table's own columns (no `.select`).
    let rows = accounts::table
        .filter(accounts::name.ne("ann"))
        .order(accounts::id.desc())
        .load_with::<(i32, String)>(posts.selectin::<Entry>(), conn)?;
    let got: Vec<(String, usize)> = rows.iter().map(|a| (a.1.clone(), a.related(posts).len())).collect();
    assert_eq!(got, [("dee".into(), 1), ("cy".into(), 0), ("bob".into(), 2)]);

    // Joined: accounts in a team called red; an account in the join twice would appear twice.
    let rows = accounts::table
        .inner_join(memberships::table.on(memberships::account_id.eq(accounts::id)))
        .filter(memberships::team_id.eq(1))
        .order(accounts::id)
        .select(Account::as_select())
        .load_with::<Account>(posts.selectin::<Entry>(), conn)?;
    let got: Vec<(String, usize)> =
        rows.iter().map(|a| (a.name.clone(), a.related(posts).len())).collect();
    assert_eq!(got, [("ann".into(), 4), ("dee".into(), 1)]);

    // The same parent twice (a join that repeats it) gets its children each time.
    let rows = accounts::table
        .inner_join(memberships::table.on(memberships::account_id.eq(accounts::id)))
        .filter(accounts::id.eq(1))
        .select(Account::as_select())
        .load_with::<Account>(posts.selectin::<Entry>(), conn)?;
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|a| a.related(posts).len() == 4));

    // Loose columns of the related table, read into a tuple.
    let mut rows = accounts::table
        .order(accounts::id)
        .select(Account::as_select())
        .load_with::<Account>(
            posts.selectin_with::<(i32, String), _, _>((entries::id, entries::title)),
            conn,
        )?;
    assert_eq!(rows[1].related(posts), &[(20, "b1".to_string()), (21, "b2".into())]);
    // What was loaded can be changed in place, or taken apart.
    rows[1].related_mut(posts).retain(|(id, _)| *id == 21);
    assert_eq!(rows[1].row().name, "bob");
    let (bob, bobs_posts) = rows.swap_remove(1).into_parts();
    assert_eq!((bob.name, bobs_posts.into_inner().len()), ("bob".to_string(), 1));

    // Boxed, with a condition chosen at run time.
    let mut query = accounts::table.select(Account::as_select()).into_boxed::<Db>();
    query = query.filter(accounts::id.le(2)).order(accounts::id);
    let rows = query.load_with::<Account>(posts.selectin::<Entry>(), conn)?;
    assert_eq!(names(&rows, |a| a.name.clone()), ["ann", "bob"]);
    assert_eq!(rows[1].related(posts).len(), 2);
    Ok(())
}

fn relationships_as_filters(conn) {
    seeded(conn)?;
    let posts = children(entries::account_id);
    // "Accounts with a published post": EXISTS, not a join (no duplicates).
    let with_published: Vec<String> = accounts::table
        .filter(posts.any(entries::published.eq(true)))
        .order(accounts::id)
        .select(accounts::name)
        .load(conn)?;
    assert_eq!(with_published, ["ann", "bob", "dee"]);
    let without_posts: Vec<String> = accounts::table
        .filter(not(posts.exists()))
        .select(accounts::name)
        .load(conn)?;
    assert_eq!(without_posts, ["cy"]);
    // Many-to-one: entries whose author is called bob.
    let bobs: Vec<String> = entries::table
        .filter(parent(entries::account_id).has(accounts::name.eq("bob")))
        .order(entries::id)
        .select(entries::title)
        .load(conn)?;
    assert_eq!(bobs, ["b1", "b2"]);
    // Many-to-many: accounts in the blue team.
    let blue: Vec<String> = accounts::table
        .filter(many_to_many(memberships::account_id, memberships::team_id).any(teams::name.eq("blue")))
        .order(accounts::id)
        .select(accounts::name)
        .load(conn)?;
    assert_eq!(blue, ["ann", "bob"]);
    // A relationship of a table to itself: staff with reports, and without a manager.
    let managers: Vec<String> = staff::table
        .filter(children(staff::manager_id).exists())
        .order(staff::id)
        .select(staff::name)
        .load(conn)?;
    assert_eq!(managers, ["boss", "mid"]);
    let top: Vec<String> = staff::table
        .filter(not(parent(staff::manager_id).exists()))
        .select(staff::name)
        .load(conn)?;
    assert_eq!(top, ["boss"]);
    // with_parent: the posts of one account.
    let of_bob: Vec<String> = entries::table
        .filter(with_parent(posts, 2))
        .order(entries::id)
        .select(entries::title)
        .load(conn)?;
    assert_eq!(of_bob, ["b1", "b2"]);
    Ok(())
}

fn explicit_lazy_load_for_rows_already_loaded(conn) {
    seeded(conn)?;
    let accounts: Vec<Account> = accounts::table.order(accounts::id).select(Account::as_select()).load(conn)?;
    let posts = children(entries::account_id).order_by(entries::id);
    let loaded = load_related(posts.selectin::<Entry>(), accounts.iter().map(|a| a.id), conn)?;
    let counts: Vec<usize> = loaded.into_iter().map(|w: With<_, Vec<Entry>>| w.into_inner().len()).collect();
    assert_eq!(counts, [4, 2, 0, 1]);
    // No keys, no query, no rows.
    let none = load_related(posts.selectin::<Entry>(), Vec::<i32>::new(), conn)?;
    assert!(none.is_empty());
    Ok(())
}

fn an_empty_parent_query_loads_nothing(conn) {
    seeded(conn)?;
    let rows = accounts::table
        .filter(accounts::id.gt(100))
        .select(Account::as_select())
        .load_with::<Account>(children(entries::account_id).selectin::<Entry>(), conn)?;
    assert!(rows.is_empty());
    Ok(())
}

fn more_parents_than_one_statement_can_carry(conn) {
    schema_with_digits(conn)?;
    // 70,000 accounts: more keys than SQLite (32,766) or MySQL (65,535) take in one statement.
    conn.batch_execute(
        "INSERT INTO accounts (id, name) SELECT 1 + a.n + 10 * b.n + 100 * c.n + 1000 * d.n + 10000 * e.n, 'x' \
         FROM digits a, digits b, digits c, digits d, digits e WHERE e.n < 7",
    )?;
    conn.batch_execute(
        "INSERT INTO entries (id, account_id, title, published) SELECT id, id, 't', TRUE FROM accounts WHERE id % 7 = 0",
    )?;
    let posts = children(entries::account_id);
    let rows = accounts::table
        .select(Account::as_select())
        .load_with::<Account>(posts.selectin::<Entry>(), conn)?;
    assert_eq!(rows.len(), 70_000);
    let with_post = rows.iter().filter(|a| a.related(posts).len() == 1).count();
    assert_eq!(with_post, 10_000);
    assert!(rows.iter().all(|a| a.related(posts).len() == usize::from(a.id % 7 == 0)));
    Ok(())
}

fn more_composite_keys_than_one_statement_can_carry(conn) {
    schema_with_digits(conn)?;
    conn.batch_execute("INSERT INTO shops (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')")?;
    // 40,000 orders, keyed by two columns: 80,000 key values, more than any of the three
    // backends binds in one statement. A fifth of the orders have a line.
    conn.batch_execute(
        "INSERT INTO shop_orders (shop_id, number, note) \
         SELECT 1 + a.n % 4, a.n + 10 * b.n + 100 * c.n + 1000 * d.n + 10000 * e.n, \
                CASE WHEN a.n % 8 = 0 THEN 'y' ELSE 'n' END \
         FROM digits a, digits b, digits c, digits d, digits e WHERE e.n < 4",
    )?;
    conn.batch_execute(
        "INSERT INTO order_lines (id, shop_id, order_number, item) \
         SELECT number, shop_id, number, 'l' FROM shop_orders WHERE note = 'y'",
    )?;
    let lines = children(order_lines::order);
    let orders = shop_orders::table
        .select(ShopOrder::as_select())
        .load_with::<ShopOrder>(lines.selectin::<Line>(), conn)?;
    assert_eq!(orders.len(), 40_000);
    assert_eq!(orders.iter().filter(|o| o.related(lines).len() == 1).count(), 8_000);
    assert!(orders.iter().all(|o| o.related(lines).len() == usize::from(o.note == "y")));
    Ok(())
}

fn joined_loading_gives_the_same_rows_as_selectin(conn) {
    seeded(conn)?;
    let posts = children(entries::account_id).order_by(entries::id);
    let comments = children(notes::entry_id).order_by(notes::id);
    let accounts = || accounts::table.order(accounts::id).select(Account::as_select());
    // One-to-many, with a level below loaded by selectin.
    let by_selectin = accounts().load_with::<Account>(
        posts.selectin::<Entry>().then(comments.selectin::<Note>()),
        conn,
    )?;
    let by_join = accounts().load_with::<Account>(
        posts.joined::<Entry>().then(comments.selectin::<Note>()),
        conn,
    )?;
    assert_eq!(by_join, by_selectin);
    assert_eq!(by_join.len(), 4);
    assert!(by_join[2].related(posts).is_empty());

    // The relationship's order and per-parent limit, and a condition.
    let latest = children(entries::account_id)
        .filter(entries::published.eq(true))
        .order_by(entries::id.desc())
        .limit_per_parent(2);
    let joined = accounts().load_with::<Account>(latest.joined::<Entry>(), conn)?;
    let selected = accounts().load_with::<Account>(latest.selectin::<Entry>(), conn)?;
    assert_eq!(joined, selected);
    assert_eq!(titles(joined[0].related(latest)), ["a4", "a3"]);

    // Many-to-one: one Arc per parent row, shared; a nullable key gives None.
    let author = parent(entries::account_id);
    let entries = entries::table
        .order(entries::id)
        .select(Entry::as_select())
        .load_with::<Entry>(author.joined::<Account>(), conn)?;
    assert_eq!(entries.len(), 7);
    assert!(Arc::ptr_eq(entries[0].related(author), entries[3].related(author)));
    let shipping = parent(orders::shipping_id);
    let orders = orders::table
        .order(orders::id)
        .select(Order::as_select())
        .load_with::<Order>(shipping.joined::<Address>(), conn)?;
    let cities: Vec<Option<String>> =
        orders.iter().map(|o| o.related(shipping).as_ref().map(|a| a.city.clone())).collect();
    assert_eq!(cities, [Some("Rome".into()), None, Some("Lima".into())]);

    // Many-to-many and one-to-one.
    let teams = many_to_many(memberships::account_id, memberships::team_id).order_by(teams::id);
    let joined = accounts().load_with::<Account>(teams.joined::<Team>(), conn)?;
    let selected = accounts().load_with::<Account>(teams.selectin::<Team>(), conn)?;
    assert_eq!(joined, selected);
    let profile = children(profiles::account_id).one();
    let joined = accounts().load_with::<Account>(profile.joined::<Profile>(), conn)?;
    let selected = accounts().load_with::<Account>(profile.selectin::<Profile>(), conn)?;
    assert_eq!(joined, selected);
    Ok(())
}

fn joined_loading_merges_repeated_parents_and_refuses_what_it_cannot_do(conn) {
    seeded(conn)?;
    let posts = children(entries::account_id).order_by(entries::id);
    // The query returns ann twice (two memberships): joined loading gives her once, with
    // each post once.
    let rows = accounts::table
        .inner_join(memberships::table.on(memberships::account_id.eq(accounts::id)))
        .filter(accounts::id.eq(1))
        .select(Account::as_select())
        .load_with::<Account>(posts.joined::<Entry>(), conn)?;
    assert_eq!(rows.len(), 1);
    assert_eq!(titles(rows[0].related(posts)), ["a1", "a2", "a3", "a4"]);

    // A LIMIT would count joined rows: an error, not a silently short result.
    let err = accounts::table
        .order(accounts::id)
        .limit(2)
        .select(Account::as_select())
        .load_with::<Account>(posts.joined::<Entry>(), conn)
        .expect_err("LIMIT with joined loading");
    assert_eq!(err.kind(), philtre::ErrorKind::InvalidQuery);
    assert!(err.to_string().contains("selectin"), "{err}");
    // With selectin the LIMIT is the query's own.
    let rows = accounts::table
        .order(accounts::id)
        .limit(2)
        .select(Account::as_select())
        .load_with::<Account>(posts.selectin::<Entry>(), conn)?;
    assert_eq!(rows.len(), 2);

    // A table joined to itself: read through an alias, the same rows as selectin.
    let reports = children(staff::manager_id);
    let manager = parent(staff::manager_id);
    let people = || staff::table.order(staff::id).select(Person::as_select());
    let joined = people().load_with::<Person>(reports.joined::<Person>(), conn)?;
    let selected = people().load_with::<Person>(reports.selectin::<Person>(), conn)?;
    let report_names = |person: &Person, reports: &[Person]| {
        let mut names = names(reports, |r| r.name.clone());
        names.sort();
        (person.name.clone(), names)
    };
    let joined: Vec<_> = joined.iter().map(|p| report_names(p, p.related(reports))).collect();
    let selected: Vec<_> = selected.iter().map(|p| report_names(p, p.related(reports))).collect();
    assert_eq!(joined, selected);
    assert_eq!(joined[1].1, ["low", "low2"]);
    let with_manager = people().load_with::<Person>(manager.joined::<Person>(), conn)?;
    let managers: Vec<Option<String>> = with_manager
        .iter()
        .map(|p| p.related(manager).as_ref().map(|m| m.name.clone()))
        .collect();
    assert_eq!(managers, [None, Some("boss".into()), Some("mid".into()), Some("mid".into())]);
    // ... but not with an order, which would name the outer table: a clear error.
    let err = people()
        .load_with::<Person>(children(staff::manager_id).order_by(staff::id).joined::<Person>(), conn)
        .expect_err("self-referential joined load with an order");
    assert_eq!(err.kind(), philtre::ErrorKind::InvalidQuery);
    assert!(err.to_string().contains("selectin"), "{err}");
    Ok(())
}

fn subquery_loading_gives_the_same_rows_as_selectin(conn) {
    seeded(conn)?;
    let posts = children(entries::account_id).order_by(entries::id);
    let comments = children(notes::entry_id).order_by(notes::id);
    let accounts = || {
        accounts::table
            .filter(accounts::name.ne("bob"))
            .order(accounts::id)
            .select(Account::as_select())
    };
    let by_selectin = accounts().load_with::<Account>(
        posts.selectin::<Entry>().then(comments.selectin::<Note>()),
        conn,
    )?;
    let by_subquery = accounts().load_with::<Account>(
        posts.subquery::<Entry>().then(comments.selectin::<Note>()),
        conn,
    )?;
    assert_eq!(by_subquery, by_selectin);
    assert_eq!(names(&by_subquery, |a| a.name.clone()), ["ann", "cy", "dee"]);

    // Subquery levels nest: the comments' query nests the posts' query, which nests the
    // accounts' query.
    let nested = accounts().load_with::<Account>(
        posts.subquery::<Entry>().then(comments.subquery::<Note>()),
        conn,
    )?;
    assert_eq!(nested, by_selectin);
    let limited_nested = accounts::table
        .order(accounts::id)
        .limit(1)
        .select(Account::as_select())
        .load_with::<Account>(posts.subquery::<Entry>().then(comments.subquery::<Note>()), conn)?;
    assert_eq!(limited_nested.len(), 1);
    let first_comments: Vec<usize> =
        limited_nested[0].related(posts).iter().map(|p| p.related(comments).len()).collect();
    assert_eq!(first_comments, [2, 0, 1, 0]);

    // The query's LIMIT is kept inside the subquery: only the first two accounts' posts.
    let limited = accounts::table
        .order(accounts::id)
        .limit(2)
        .select(Account::as_select())
        .load_with::<Account>(posts.subquery::<Entry>(), conn)?;
    let got: Vec<usize> = limited.iter().map(|a| a.related(posts).len()).collect();
    assert_eq!(got, [4, 2]);

    // Many-to-one, many-to-many, self-referential, a per-parent limit, a boxed query.
    let author = parent(entries::account_id);
    let entries = entries::table
        .order(entries::id)
        .select(Entry::as_select())
        .load_with::<Entry>(author.subquery::<Account>(), conn)?;
    assert!(Arc::ptr_eq(entries[0].related(author), entries[1].related(author)));
    let teams = many_to_many(memberships::account_id, memberships::team_id).order_by(teams::id);
    let by_subquery = accounts().load_with::<Account>(teams.subquery::<Team>(), conn)?;
    let by_selectin = accounts().load_with::<Account>(teams.selectin::<Team>(), conn)?;
    assert_eq!(by_subquery, by_selectin);
    let reports = children(staff::manager_id).order_by(staff::id);
    let people = staff::table
        .order(staff::id)
        .select(Person::as_select())
        .load_with::<Person>(reports.subquery::<Person>(), conn)?;
    let counts: Vec<usize> = people.iter().map(|p| p.related(reports).len()).collect();
    assert_eq!(counts, [1, 2, 0, 0]);
    let latest = children(entries::account_id).order_by(entries::id.desc()).limit_per_parent(1);
    let boxed = accounts::table
        .select(Account::as_select())
        .into_boxed::<Db>()
        .filter(accounts::id.le(2))
        .order(accounts::id);
    let rows = boxed.load_with::<Account>(latest.subquery::<Entry>(), conn)?;
    let got: Vec<Vec<&str>> = rows.iter().map(|a| titles(a.related(latest))).collect();
    assert_eq!(got, [vec!["a4"], vec!["b2"]]);
    Ok(())
}

fn contains_eager_fills_a_relationship_from_the_querys_own_join(conn) {
    seeded(conn)?;
    let posts = children(entries::account_id);
    // The query joins and filters the posts itself; the relationship takes what it found.
    let rows = accounts::table
        .inner_join(posts)
        .filter(entries::published.eq(true))
        .order((accounts::id, entries::id))
        .select(Account::as_select())
        .load_with::<Account>(posts.contains_eager::<Entry>(), conn)?;
    let got: Vec<(String, Vec<&str>)> =
        rows.iter().map(|a| (a.name.clone(), titles(a.related(posts)))).collect();
    assert_eq!(
        got,
        [
            ("ann".into(), vec!["a1", "a3", "a4"]),
            ("bob".into(), vec!["b2"]),
            ("dee".into(), vec!["d1"]),
        ]
    );
    // A LEFT JOIN keeps accounts without posts, with an empty Vec.
    let rows = accounts::table
        .left_join(posts)
        .order((accounts::id, entries::id))
        .select(Account::as_select())
        .load_with::<Account>(posts.contains_eager::<Entry>(), conn)?;
    let counts: Vec<usize> = rows.iter().map(|a| a.related(posts).len()).collect();
    assert_eq!(counts, [4, 2, 0, 1]);
    Ok(())
}

fn text_and_bigint_keys_and_nullable_foreign_keys(conn) {
    seeded(conn)?;
    conn.batch_execute(
        "INSERT INTO countries (code, name) VALUES ('no', 'Norway'), ('it', 'Italy'), ('pe', 'Peru');
         INSERT INTO cities (id, country_code, name) VALUES
           (10000000000, 'no', 'Oslo'), (10000000001, 'it', 'Rome'), (10000000002, 'it', 'Milan'),
           (10000000003, NULL, 'Atlantis');
         INSERT INTO districts (id, city_id, name) VALUES (1, 10000000001, 'Trastevere'), (2, 10000000000, 'Grunerlokka');",
    )?;
    let cities = children(cities::country_code).order_by(cities::id);
    let districts = children(districts::city_id).order_by(districts::id);
    let plan = || cities.selectin::<City>().then(districts.selectin::<District>());
    let countries = countries::table
        .order(countries::code)
        .select(Country::as_select())
        .load_with::<Country>(plan(), conn)?;
    let got: Vec<(String, Vec<(String, usize)>)> = countries
        .iter()
        .map(|c| {
            let cities = c
                .related(cities)
                .iter()
                .map(|city| (city.name.clone(), city.related(districts).len()))
                .collect();
            (c.name.clone(), cities)
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Italy".into(), vec![("Rome".into(), 1), ("Milan".into(), 0)]),
            ("Norway".into(), vec![("Oslo".into(), 1)]),
            ("Peru".into(), vec![]),
        ]
    );
    // The same through every strategy.
    let countries_query = || countries::table.order(countries::code).select(Country::as_select());
    let joined = countries_query().load_with::<Country>(
        cities.joined::<City>().then(districts.selectin::<District>()),
        conn,
    )?;
    let subquery = countries_query().load_with::<Country>(
        cities.subquery::<City>().then(districts.selectin::<District>()),
        conn,
    )?;
    let selectin = countries_query().load_with::<Country>(plan(), conn)?;
    assert_eq!(joined, selectin);
    assert_eq!(subquery, selectin);

    // A nullable text foreign key: the city without a country gets `None`.
    let country = parent(cities::country_code);
    let rows = cities::table
        .order(cities::id)
        .select(City::as_select())
        .load_with::<City>(country.selectin::<Country>(), conn)?;
    let names: Vec<Option<String>> =
        rows.iter().map(|c| c.related(country).as_ref().map(|k| k.name.clone())).collect();
    assert_eq!(names, [Some("Norway".into()), Some("Italy".into()), Some("Italy".into()), None]);
    Ok(())
}

fn limits_per_parent_on_many_to_many_and_errors_instead_of_silent_picks(conn) {
    seeded(conn)?;
    // Each account's first team by name, over the association table.
    let first_team = many_to_many(memberships::account_id, memberships::team_id)
        .order_by(teams::name)
        .limit_per_parent(1);
    for rows in [
        accounts::table.order(accounts::id).select(Account::as_select())
            .load_with::<Account>(first_team.selectin::<Team>(), conn)?,
        accounts::table.order(accounts::id).select(Account::as_select())
            .load_with::<Account>(first_team.joined::<Team>(), conn)?,
    ] {
        let got: Vec<Vec<String>> =
            rows.iter().map(|a| names(a.related(first_team), |t| t.name.clone())).collect();
        assert_eq!(got, [vec!["blue"], vec!["blue"], vec![], vec!["red"]]);
    }

    // A one-to-one over a column that holds two rows for one parent is an error, not a pick.
    let one_post = children(entries::account_id).one();
    let err = accounts::table
        .select(Account::as_select())
        .load_with::<Account>(one_post.selectin::<Entry>(), conn)
        .expect_err("two posts for a one-to-one");
    assert_eq!(err.kind(), philtre::ErrorKind::InvalidQuery);
    assert!(err.to_string().contains("more than one row"), "{err}");
    Ok(())
}

fn composite_foreign_keys_load_by_every_strategy(conn) {
    seeded(conn)?;
    conn.batch_execute(
        "INSERT INTO shops (id, name) VALUES (1, 'north'), (2, 'south');
         INSERT INTO shop_orders (shop_id, number, note) VALUES (1, 1, 'n1'), (1, 2, 'n2'), (2, 1, 's1');
         INSERT INTO order_lines (id, shop_id, order_number, item) VALUES
           (1, 1, 1, 'apple'), (2, 1, 1, 'pear'), (3, 2, 1, 'fig'), (4, 1, 2, 'plum');",
    )?;
    // The DDL has the composite key: a line for an order that does not exist is refused.
    let orphan = conn.batch_execute(
        "INSERT INTO order_lines (id, shop_id, order_number, item) VALUES (9, 2, 2, 'none')",
    );
    assert_eq!(
        orphan.expect_err("the composite foreign key holds").kind(),
        philtre::ErrorKind::ForeignKeyViolation
    );

    let lines = children(order_lines::order).order_by(order_lines::id);
    let orders = || {
        shop_orders::table
            .order((shop_orders::shop_id, shop_orders::number))
            .select(ShopOrder::as_select())
    };
    let selectin = orders().load_with::<ShopOrder>(lines.selectin::<Line>(), conn)?;
    let got: Vec<(String, Vec<String>)> = selectin
        .iter()
        .map(|o| (o.note.clone(), names(o.related(lines), |l| l.item.clone())))
        .collect();
    assert_eq!(
        got,
        [
            ("n1".into(), vec!["apple".into(), "pear".into()]),
            ("n2".into(), vec!["plum".into()]),
            ("s1".into(), vec!["fig".into()]),
        ]
    );
    assert_eq!(orders().load_with::<ShopOrder>(lines.joined::<Line>(), conn)?, selectin);
    assert_eq!(orders().load_with::<ShopOrder>(lines.subquery::<Line>(), conn)?, selectin);
    let first_line = children(order_lines::order).order_by(order_lines::id.desc()).limit_per_parent(1);
    let latest = orders().load_with::<ShopOrder>(first_line.selectin::<Line>(), conn)?;
    let got: Vec<Vec<String>> = latest.iter().map(|o| names(o.related(first_line), |l| l.item.clone())).collect();
    assert_eq!(got, [vec!["pear".to_string()], vec!["plum".into()], vec!["fig".into()]]);

    // Many-to-one over the composite key, one order shared by its lines.
    let order = parent(order_lines::order);
    let by_line = order_lines::table
        .order(order_lines::id)
        .select(Line::as_select())
        .load_with::<Line>(order.selectin::<ShopOrder>(), conn)?;
    let notes: Vec<String> = by_line.iter().map(|l| l.related(order).note.clone()).collect();
    assert_eq!(notes, ["n1", "n1", "s1", "n2"]);
    assert!(Arc::ptr_eq(by_line[0].related(order), by_line[1].related(order)));
    let joined = order_lines::table
        .order(order_lines::id)
        .select(Line::as_select())
        .load_with::<Line>(order.joined::<ShopOrder>(), conn)?;
    assert_eq!(joined, by_line);

    // Joins along the composite key, both ways: ON a = x AND b = y.
    let pairs: Vec<(String, String)> = shop_orders::table
        .inner_join(children(order_lines::order))
        .order(order_lines::id)
        .select((shop_orders::note, order_lines::item))
        .load(conn)?;
    assert_eq!(
        pairs,
        [
            ("n1".to_string(), "apple".to_string()),
            ("n1".into(), "pear".into()),
            ("s1".into(), "fig".into()),
            ("n2".into(), "plum".into()),
        ]
    );
    let back: Vec<String> = order_lines::table
        .inner_join(parent(order_lines::order))
        .filter(shop_orders::note.eq("n2"))
        .select(order_lines::item)
        .load(conn)?;
    assert_eq!(back, ["plum"]);

    // EXISTS over two columns: orders with a line whose item starts with p.
    let with_p: Vec<String> = shop_orders::table
        .filter(lines.any(order_lines::item.like("p%")))
        .order((shop_orders::shop_id, shop_orders::number))
        .select(shop_orders::note)
        .load(conn)?;
    assert_eq!(with_p, ["n1", "n2"]);
    Ok(())
}

fn rows_that_hold_their_key_give_it_from_the_field(conn) {
    seeded(conn)?;
    conn.batch_execute(
        "INSERT INTO countries (code, name) VALUES ('no', 'Norway'), ('it', 'Italy');
         INSERT INTO cities (id, country_code, name) VALUES (1, 'it', 'Rome'), (2, 'no', 'Oslo'), (3, NULL, 'Atlantis'), (4, 'it', 'Milan');",
    )?;
    // Nullable integer key held by the row.
    let reports = children(staff::manager_id).order_by(staff::id);
    let with_field = staff::table
        .order(staff::id)
        .select(Person::as_select())
        .load_with::<Person>(reports.selectin::<Report>(), conn)?;
    let got: Vec<Vec<(String, Option<i32>)>> = with_field
        .iter()
        .map(|p| p.related(reports).iter().map(|r| (r.name.clone(), r.manager_id)).collect())
        .collect();
    assert_eq!(
        got,
        [
            vec![("mid".to_string(), Some(1))],
            vec![("low".into(), Some(2)), ("low2".into(), Some(2))],
            vec![],
            vec![],
        ]
    );
    // Nullable text key held by the row; the same groups as a row type without the key.
    let cities = children(cities::country_code).order_by(cities::id);
    let held = countries::table
        .order(countries::code)
        .select(Country::as_select())
        .load_with::<Country>(cities.selectin::<CityWithCode>(), conn)?;
    let selected = countries::table
        .order(countries::code)
        .select(Country::as_select())
        .load_with::<Country>(cities.selectin::<City>(), conn)?;
    let names_held: Vec<Vec<String>> =
        held.iter().map(|c| names(c.related(cities), |x| x.name.clone())).collect();
    let names_selected: Vec<Vec<String>> =
        selected.iter().map(|c| names(c.related(cities), |x| x.name.clone())).collect();
    assert_eq!(names_held, names_selected);
    assert_eq!(names_held, [vec!["Rome".to_string(), "Milan".into()], vec!["Oslo".into()]]);
    Ok(())
}

fn keys_a_row_holds_are_read_from_it_not_selected_again(conn) {
    seeded(conn)?;
    let statements = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&statements);
    conn.instrumentation()
        .set(Some(Arc::new(move |event: &philtre::connection::Event<'_>| {
            if let philtre::connection::Event::StatementStart { sql, .. } = event {
                // Without quotes, whichever the backend writes.
                seen.lock().expect("not poisoned").push(sql.replace(['"', '`'], ""));
            }
        })));
    let posts = children(entries::account_id).order_by(entries::id);
    let comments = children(notes::entry_id).order_by(notes::id);
    let accounts = || accounts::table.order(accounts::id).select(Account::as_select());
    let held = accounts().load_with::<Account>(
        posts.selectin::<EntryWithKeys>().then(comments.selectin::<Note>()),
        conn,
    )?;
    let sent = std::mem::take(&mut *statements.lock().expect("not poisoned"));
    let entries_query = sent
        .iter()
        .find(|sql| sql.contains("FROM entries"))
        .expect("a query of entries");
    assert_eq!(
        entries_query.matches("entries.id").count(),
        2,
        "entries.id once in the select list, once in ORDER BY: {entries_query}"
    );
    assert_eq!(entries_query.matches("entries.account_id").count(), 2, "{entries_query}");
    // A row without its account's key selects both keys in front; the tree is the same.
    let selected = accounts()
        .load_with::<Account>(posts.selectin::<Entry>().then(comments.selectin::<Note>()), conn)?;
    // Each account's entries as (title, note bodies); a macro, as the two entry types differ.
    macro_rules! tree {
        ($accounts:expr) => {
            $accounts
                .iter()
                .map(|a| {
                    a.related(posts)
                        .iter()
                        .map(|e| (e.title.clone(), names(e.related(comments), |n| n.body.clone())))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        };
    }
    let held_tree: Vec<Vec<(String, Vec<String>)>> = tree!(held);
    let selected_tree: Vec<Vec<(String, Vec<String>)>> = tree!(selected);
    assert_eq!(held_tree, selected_tree);
    assert_eq!(held_tree[0][0], ("a1".to_string(), vec!["n1".to_string(), "n2".into()]));
    assert_eq!(held_tree[3][0].1, ["n5"]);
    Ok(())
}

fn joined_levels_nest_in_one_statement(conn) {
    seeded(conn)?;
    let posts = children(entries::account_id).order_by(entries::id);
    let comments = children(notes::entry_id).order_by(notes::id);
    let accounts = || accounts::table.order(accounts::id).select(Account::as_select());
    let selectin = accounts().load_with::<Account>(
        posts.selectin::<Entry>().then(comments.selectin::<Note>()),
        conn,
    )?;
    // users → posts → comments, all in one statement with two LEFT OUTER JOINs.
    let joined = accounts().load_with::<Account>(
        posts.joined::<Entry>().then(comments.joined::<Note>()),
        conn,
    )?;
    assert_eq!(joined, selectin);
    // A many-to-one below a one-to-many, joined: each order's lines, each line's... order
    // again would name a table twice, so: each comment's post, from the comments.
    let post = parent(notes::entry_id);
    let author = parent(entries::account_id);
    let deep = notes::table
        .order(notes::id)
        .select(Note::as_select())
        .load_with::<Note>(post.joined::<Entry>().then(author.joined::<Account>()), conn)?;
    assert_eq!(deep.len(), 5);
    assert_eq!(deep[0].related(post).title, "a1");
    assert_eq!(deep[0].related(post).related(author).name, "ann");
    // Two comments on one post share the post, and with it its author.
    assert!(Arc::ptr_eq(deep[0].related(post), deep[1].related(post)));
    assert_eq!(deep[4].related(post).related(author).name, "dee");
    // Joined below a joined level, then selectin below that.
    let teams = many_to_many(memberships::account_id, memberships::team_id).order_by(teams::id);
    let mixed = entries::table
        .order(entries::id)
        .select(Entry::as_select())
        .load_with::<Entry>(author.joined::<Account>().then(teams.selectin::<Team>()), conn)?;
    assert_eq!(names(mixed[0].related(author).related(teams), |t| t.name.clone()), ["red", "blue"]);
    Ok(())
}

fn a_joined_or_subquery_loader_takes_selectin_loaders_beside_it(conn) {
    seeded(conn)?;
    let posts = children(entries::account_id).order_by(entries::id);
    let comments = children(notes::entry_id).order_by(notes::id);
    let teams = many_to_many(memberships::account_id, memberships::team_id).order_by(teams::id);
    let accounts = || accounts::table.order(accounts::id).select(Account::as_select());
    let selectin = accounts().load_with::<Account>(
        (posts.selectin::<Entry>().then(comments.selectin::<Note>()), teams.selectin::<Team>()),
        conn,
    )?;
    let joined = accounts().load_with::<Account>(
        posts
            .joined::<Entry>()
            .then(comments.joined::<Note>())
            .and(teams.selectin::<Team>()),
        conn,
    )?;
    let subquery = accounts().load_with::<Account>(
        posts
            .subquery::<Entry>()
            .then(comments.selectin::<Note>())
            .and(teams.selectin::<Team>()),
        conn,
    )?;
    // What each account got: its posts with their comment counts, and its teams.
    macro_rules! got {
        ($rows:expr) => {
            $rows
                .iter()
                .map(|a| {
                    let posts: Vec<(String, usize)> = a
                        .related(posts)
                        .iter()
                        .map(|p| (p.title.clone(), p.related(comments).len()))
                        .collect();
                    (a.name.clone(), posts, names(a.related(teams), |t| t.name.clone()))
                })
                .collect::<Vec<_>>()
        };
    }
    let expected = got!(selectin);
    assert_eq!(got!(joined), expected);
    assert_eq!(got!(subquery), expected);
    assert_eq!(
        expected[0].1,
        [("a1".to_string(), 2), ("a2".into(), 0), ("a3".into(), 1), ("a4".into(), 0)]
    );
    assert_eq!(expected[0].2, ["red", "blue"]);
    Ok(())
}
}

/// A NOT NULL foreign key whose row is missing (SQLite with foreign keys off) is an error of
/// kind `NotFound` naming the key, not a silent gap.
#[test]
fn a_missing_parent_behind_a_not_null_key_is_an_error() -> philtre::QueryResult<()> {
    // `:memory:` with a parameter: in memory, foreign keys off (not a file of that name).
    let mut conn = philtre_sqlite::SqliteConnection::open(":memory:?foreign_keys=off")?;
    seeded(&mut conn)?;
    conn.batch_execute(
        "INSERT INTO entries (id, account_id, title, published) VALUES (99, 42, 'lost', TRUE)",
    )?;
    let author = parent(entries::account_id);
    let err = entries::table
        .select(Entry::as_select())
        .load_with::<Entry>(author.selectin::<Account>(), &mut conn)
        .expect_err("a post whose author does not exist");
    assert_eq!(err.kind(), philtre::ErrorKind::NotFound);
    assert!(err.to_string().contains("42"), "{err}");
    Ok(())
}
