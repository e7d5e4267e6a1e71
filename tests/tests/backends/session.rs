//! The ORM's session on every backend: identity map, generated keys flowing to children,
//! only changed columns written, foreign-key order with a self-reference and a post-update
//! cycle, cascades, a flush failing half-way, optimistic concurrency, rollback, savepoints,
//! events, detach and merge.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use philtre::orm::{Cascade, Entity, ObjectState, Registry, Session};
use philtre::prelude::*;
use philtre::schema::Schema;

philtre::table! {
    authors (id) {
        #[auto_increment]
        id -> Integer,
        #[max_length = 40]
        name -> Text,
        #[max_length = 40]
        email -> Nullable<Text>,
    }
    articles (id) {
        #[auto_increment]
        id -> Integer,
        author_id -> Integer references authors(id),
        #[max_length = 40]
        title -> Text,
        views -> Integer,
        #[version]
        version -> Integer,
    }
    remarks (id) {
        #[auto_increment]
        id -> Integer,
        article_id -> Integer references articles(id),
        #[max_length = 40]
        body -> Text,
    }
    likes (id) {
        #[auto_increment]
        id -> Integer,
        article_id -> Integer references articles(id) on delete cascade,
    }
    workers (id) {
        #[auto_increment]
        id -> Integer,
        #[max_length = 40]
        name -> Text,
        manager_id -> Nullable<Integer> references workers(id),
    }
    shops (id) {
        #[auto_increment]
        id -> Integer,
        #[max_length = 20]
        name -> Text,
    }
    shop_orders (shop_id, number) {
        shop_id -> Integer references shops(id),
        number -> Integer,
        #[max_length = 20]
        note -> Text,
    }
    #[foreign_key(order: (shop_id, order_number) references shop_orders (shop_id, number))]
    order_lines (id) {
        #[auto_increment]
        id -> Integer,
        shop_id -> Integer,
        order_number -> Integer,
        #[max_length = 20]
        item -> Text,
    }
    labels (scope, name) {
        #[max_length = 10]
        scope -> Text,
        #[max_length = 10]
        name -> Text,
        weight -> Integer,
    }
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = authors)]
struct Author {
    id: i32,
    name: String,
    email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = articles)]
struct Article {
    id: i32,
    author_id: i32,
    title: String,
    views: i32,
    version: i32,
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = remarks)]
struct Remark {
    id: i32,
    article_id: i32,
    body: String,
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = likes)]
struct Like {
    id: i32,
    article_id: i32,
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = workers)]
struct Worker {
    id: i32,
    name: String,
    manager_id: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = labels, primary_key(scope, name))]
struct Label {
    scope: String,
    name: String,
    weight: i32,
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = shops)]
struct Shop {
    id: i32,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = shop_orders, primary_key(shop_id, number))]
struct ShopOrder {
    shop_id: i32,
    number: i32,
    note: String,
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = order_lines)]
struct OrderLine {
    id: i32,
    shop_id: i32,
    order_number: i32,
    item: String,
}

fn schema() -> Schema {
    // Listed children first on purpose: the flush order comes from the foreign keys.
    Schema::new()
        .table(likes::table)
        .table(remarks::table)
        .table(articles::table)
        .table(authors::table)
        .table(workers::table)
        .table(labels::table)
        .table(order_lines::table)
        .table(shop_orders::table)
        .table(shops::table)
}

fn author(name: &str) -> Author {
    Author {
        id: 0,
        name: name.into(),
        email: None,
    }
}

fn article(title: &str) -> Article {
    Article {
        id: 0,
        author_id: 0,
        title: title.into(),
        views: 0,
        version: 1,
    }
}

fn worker(name: &str) -> Worker {
    Worker {
        id: 0,
        name: name.into(),
        manager_id: None,
    }
}

/// `SELECT COUNT(*) FROM table`.
macro_rules! count {
    ($conn:expr, $table:ident) => {{
        let n: i64 = $table::table.count().get_result(&mut *$conn)?;
        n
    }};
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn generated_keys_flow_to_children_in_foreign_key_order(conn) {
    schema().create_all(conn)?;
    let registry = Registry::new(&schema());
    let mut session = Session::new(&registry, conn);
    let mut pairs = Vec::new();
    for a in 0..3 {
        let parent = session.add(author(&format!("author{a}")))?;
        for p in 0..2 {
            let child = session.add_child(parent, articles::author_id, article(&format!("a{a}p{p}")))?;
            pairs.push((parent, child));
        }
    }
    assert_eq!(session.state(pairs[0].0)?, ObjectState::Pending);
    assert!(session.has_changes());
    session.commit()?;
    assert!(!session.has_changes());
    for (parent, child) in &pairs {
        let parent_id = session.get(*parent)?.id;
        assert_ne!(parent_id, 0, "the generated key is set on the object");
        assert_eq!(session.get(*child)?.author_id, parent_id);
        assert_eq!(session.state(*child)?, ObjectState::Persistent);
    }
    drop(session);
    // What the database holds matches the objects: each title under its author's name.
    let rows: Vec<(String, String)> = articles::table
        .inner_join(authors::table)
        .order(articles::title)
        .select((articles::title, authors::name))
        .load(conn)?;
    assert_eq!(rows.len(), 6);
    for (title, name) in rows {
        assert_eq!(&title[1..2], &name[6..7], "{title} belongs to {name}");
    }
    Ok(())
}

fn batched_keys_pair_with_their_rows(conn) {
    schema().create_all(conn)?;
    let registry = Registry::new(&schema());
    let mut session = Session::new(&registry, conn);
    // More rows than one statement carries, so several batches return keys.
    let keys = session.add_all((0..2500).map(|i| author(&format!("n{i}"))))?;
    session.commit()?;
    // Every row changed: UPDATEs batched by the columns they set (two groups here).
    for (i, key) in keys.iter().enumerate() {
        let value = session.get_mut(*key)?;
        value.name = format!("{}-{}", value.name, value.id);
        if i % 2 == 0 {
            value.email = Some(format!("e{i}"));
        }
    }
    session.commit()?;
    let objects: Vec<(i32, String)> = keys
        .iter()
        .map(|k| session.get(*k).map(|a| (a.id, a.name.clone())))
        .collect::<QueryResult<_>>()?;
    assert!(objects.iter().all(|(id, name)| name.ends_with(&format!("-{id}"))));
    drop(session);
    let mut stored: Vec<(i32, String)> = authors::table
        .select((authors::id, authors::name))
        .load(conn)?;
    stored.sort();
    let mut expected = objects.clone();
    expected.sort();
    assert_eq!(stored, expected, "every object's key is its own row's key");
    let emails: i64 = authors::table
        .filter(authors::email.is_not_null())
        .count()
        .get_result(conn)?;
    assert_eq!(emails, 1250);
    Ok(())
}

fn identity_map_gives_one_object_per_row(conn) {
    schema().create_all(conn)?;
    insert_into(authors::table)
        .values((authors::name.eq("ann"), authors::email.eq("a@x")))
        .execute(conn)?;
    insert_into(labels::table)
        .values((labels::scope.eq("s"), labels::name.eq("n"), labels::weight.eq(1)))
        .execute(conn)?;
    let registry = Registry::new(&schema());
    let mut session = Session::new(&registry, conn);
    let first = session.load(authors::table.select(Author::as_select()))?;
    let id = session.get(first[0])?.id;
    assert_eq!(session.find::<Author>(id)?, Some(first[0]));
    assert_eq!(session.cached::<Author>(&id), Some(first[0]));
    session.get_mut(first[0])?.name = "changed in memory".into();
    session.set_autoflush(false);
    let again = session.load(authors::table.select(Author::as_select()))?;
    assert_eq!(again, first, "the same row gives the same object");
    assert_eq!(session.get(first[0])?.name, "changed in memory", "a later load does not overwrite");
    let fresh = session.load_fresh(authors::table.select(Author::as_select()))?;
    assert_eq!(session.get(fresh[0])?.name, "ann", "load_fresh refreshes");
    assert_eq!(session.find::<Author>(id + 1000)?, None);
    // Composite primary key.
    let label = session.find::<Label>(("s".into(), "n".into()))?.expect("the label exists");
    assert_eq!(session.get(label)?.weight, 1);
    assert_eq!(session.find::<Label>(("s".into(), "n".into()))?, Some(label));
    // Relationship loading resolves identity too.
    session.set_autoflush(true);
    let posts = session.add_child(first[0], articles::author_id, article("t"))?;
    let loaded = session.children::<Author, Article, _>(&first, articles::author_id)?;
    assert_eq!(loaded, vec![vec![posts]], "the autoflushed child is the same object");
    // And the other way: each article's author, the object the session already holds.
    let authors = session.parents::<Article, Author, _>(&[posts, posts], articles::author_id)?;
    assert_eq!(authors, [Some(first[0]), Some(first[0])]);
    // A nullable foreign key that is NULL has no parent.
    let boss = session.add(worker("boss"))?;
    let report = session.add(worker("report"))?;
    session.set_parent(report, workers::manager_id, boss)?;
    let managers = session.parents::<Worker, Worker, _>(&[boss, report], workers::manager_id)?;
    assert_eq!(managers, [None, Some(boss)]);
    Ok(())
}

fn only_changed_columns_are_written_and_none_writes_null(conn) {
    schema().create_all(conn)?;
    insert_into(authors::table)
        .values((authors::name.eq("ann"), authors::email.eq("a@x")))
        .execute(conn)?;
    let registry = Registry::new(&schema());
    let mut session = Session::new(&registry, conn);
    let ann = session.load(authors::table.select(Author::as_select()))?[0];
    // Another writer changes the name after the load; the session changes only the email.
    session
        .connection()?
        .batch_execute("UPDATE authors SET name = 'other writer'")?;
    session.get_mut(ann)?.email = None;
    assert_eq!(session.modified_columns(ann)?, ["email"]);
    session.commit()?;
    drop(session);
    let row: (String, Option<String>) = authors::table
        .select((authors::name, authors::email))
        .first(conn)?;
    assert_eq!(row, ("other writer".to_string(), None), "name untouched, email set to NULL");
    Ok(())
}

fn self_reference_orders_rows_and_post_update_breaks_a_cycle(conn) {
    schema().create_all(conn)?;
    let registry = Registry::new(&schema());
    {
        let mut session = Session::new(&registry, conn);
        let boss = session.add(worker("boss"))?;
        let mid = session.add(worker("mid"))?;
        let low = session.add(worker("low"))?;
        // Children added before their parents: the flush orders the rows.
        session.set_parent(low, workers::manager_id, mid)?;
        session.set_parent(mid, workers::manager_id, boss)?;
        session.commit()?;
        assert_eq!(session.get(low)?.manager_id, Some(session.get(mid)?.id));
        assert_eq!(session.get(mid)?.manager_id, Some(session.get(boss)?.id));
        assert_eq!(session.get(boss)?.manager_id, None);
    }
    {
        // Two new workers each managing the other: no insert order works.
        let mut session = Session::new(&registry, conn);
        let a = session.add(worker("a"))?;
        let b = session.add(worker("b"))?;
        session.set_parent(a, workers::manager_id, b)?;
        session.set_parent(b, workers::manager_id, a)?;
        let err = session.flush().expect_err("the flush must fail");
        assert_eq!(err.kind(), ErrorKind::ObjectState, "{err}");
        assert_eq!(session.state(a)?, ObjectState::Pending);
    }
    let with_post_update = registry.clone().post_update(workers::manager_id);
    let mut session = Session::new(&with_post_update, conn);
    let a = session.add(worker("a"))?;
    let b = session.add(worker("b"))?;
    session.set_parent(a, workers::manager_id, b)?;
    session.set_parent(b, workers::manager_id, a)?;
    session.commit()?;
    let (a_id, b_id) = (session.get(a)?.id, session.get(b)?.id);
    assert_eq!(session.get(a)?.manager_id, Some(b_id));
    drop(session);
    let stored: Option<i32> = workers::table
        .filter(workers::id.eq(a_id))
        .select(workers::manager_id)
        .first(conn)?;
    assert_eq!(stored, Some(b_id));
    let stored: Option<i32> = workers::table
        .filter(workers::id.eq(b_id))
        .select(workers::manager_id)
        .first(conn)?;
    assert_eq!(stored, Some(a_id));
    Ok(())
}

fn cascades_delete_children_loaded_or_not(conn) {
    schema().create_all(conn)?;
    let registry = Registry::new(&schema())
        .cascade(articles::author_id, Cascade::DELETE | Cascade::DELETE_ORPHAN)
        .cascade(remarks::article_id, Cascade::DELETE)
        .cascade(likes::article_id, Cascade::DELETE | Cascade::PASSIVE_DELETES);
    let mut session = Session::new(&registry, conn);
    let ann = session.add(author("ann"))?;
    let bob = session.add(author("bob"))?;
    let kept = session.add_child(bob, articles::author_id, article("kept"))?;
    let mut first = None;
    for i in 0..3 {
        let post = session.add_child(ann, articles::author_id, article(&format!("p{i}")))?;
        first.get_or_insert(post);
        session.add_child(post, remarks::article_id, Remark { id: 0, article_id: 0, body: "r".into() })?;
        session.add_child(post, likes::article_id, Like { id: 0, article_id: 0 })?;
    }
    session.commit()?;
    let ann_id = session.get(ann)?.id;
    drop(session);

    // A new session: ann's articles and remarks are not loaded.
    let mut session = Session::new(&registry, conn);
    let ann = session.find::<Author>(ann_id)?.expect("ann exists");
    session.delete(ann)?;
    session.commit()?;
    assert!(session.get(ann).is_err(), "a committed deletion ends the object");
    // delete-orphan: bob lets go of his article, which is deleted.
    let bob_articles = session.load(articles::table.select(Article::as_select()))?;
    assert_eq!(bob_articles.len(), 1);
    assert_eq!(session.get(bob_articles[0])?.title, "kept");
    let bob_key = session.find::<Author>(session.get(bob_articles[0])?.author_id)?.expect("bob");
    session.remove_child(bob_key, articles::author_id, bob_articles[0])?;
    assert_eq!(session.state(bob_articles[0])?, ObjectState::Deleted);
    session.commit()?;
    let _ = (kept, first);
    drop(session);
    assert_eq!(count!(conn, articles), 0);
    assert_eq!(count!(conn, remarks), 0, "grandchildren deleted too");
    assert_eq!(count!(conn, likes), 0, "ON DELETE CASCADE did the passive ones");
    assert_eq!(count!(conn, authors), 1);
    Ok(())
}

fn a_flush_failing_half_way_keeps_nothing(conn) {
    schema().create_all(conn)?;
    let registry = Registry::new(&schema());
    let mut session = Session::new(&registry, conn);
    let ann = session.add(author("ann"))?;
    let ok = session.add_child(ann, articles::author_id, article("fine"))?;
    // The second table's INSERT fails: NOT NULL / length rules are the database's.
    let bad = session.add(Remark { id: 0, article_id: 999_999, body: "orphan".into() })?;
    let err = session.flush().expect_err("the flush must fail");
    assert_eq!(err.kind(), ErrorKind::ForeignKeyViolation, "{err}");
    assert!(err.message().contains("remarks"), "the error names the statement: {err}");
    assert_eq!(session.state(ann)?, ObjectState::Pending);
    assert_eq!(session.get(ann)?.id, 0, "no key kept from the rolled-back INSERT");
    assert_eq!(session.get(ok)?.author_id, 0);
    // Fix the object and flush again: everything is written once.
    session.delete(bad)?;
    session.commit()?;
    assert_ne!(session.get(ann)?.id, 0);
    drop(session);
    assert_eq!(count!(conn, authors), 1);
    assert_eq!(count!(conn, articles), 1);
    assert_eq!(count!(conn, remarks), 0);
    Ok(())
}

fn version_conflicts_raise_stale_data_and_keep_nothing(conn) {
    schema().create_all(conn)?;
    insert_into(authors::table).values(authors::name.eq("ann")).execute(conn)?;
    let author_id: i32 = authors::table.select(authors::id).first(conn)?;
    insert_into(articles::table)
        .values((
            articles::author_id.eq(author_id),
            articles::title.eq("t"),
            articles::views.eq(0),
            articles::version.eq(1),
        ))
        .execute(conn)?;
    let registry = Registry::new(&schema());
    let mut session = Session::new(&registry, conn);
    let post = session.load(articles::table.select(Article::as_select()))?[0];
    session.get_mut(post)?.views = 10;
    session.commit()?;
    assert_eq!(session.get(post)?.version, 2, "the version is incremented");
    // Another transaction updates the row behind the session's back.
    session.get_mut(post)?.views = 20;
    session.set_autoflush(false);
    session
        .connection()?
        .batch_execute("UPDATE articles SET version = version + 1, title = 'theirs'")?;
    let other = session.add(author("not kept"))?;
    let err = session.flush().expect_err("the flush must fail");
    assert_eq!(err.kind(), ErrorKind::StaleData, "{err}");
    assert_eq!(session.state(other)?, ObjectState::Pending, "nothing of the flush was kept");
    session.rollback()?;
    drop(session);
    assert_eq!(count!(conn, authors), 1, "the pending author was never written");
    let views: i32 = articles::table.select(articles::views).first(conn)?;
    assert_eq!(views, 10);
    Ok(())
}

fn one_flush_inserts_updates_and_deletes_across_four_tables(conn) {
    schema().create_all(conn)?;
    let registry = Registry::new(&schema());
    let mut session = Session::new(&registry, conn);
    let ann = session.add(author("ann"))?;
    let old_post = session.add_child(ann, articles::author_id, article("old"))?;
    let old_remark = session.add_child(old_post, remarks::article_id, Remark { id: 0, article_id: 0, body: "old".into() })?;
    session.commit()?;

    // One flush: new rows in all four tables (one of them self-referential, children first in
    // the order they were added), an update, and a delete.
    let bob = session.add(author("bob"))?;
    let new_post = session.add_child(bob, articles::author_id, article("new"))?;
    session.add_child(new_post, remarks::article_id, Remark { id: 0, article_id: 0, body: "new".into() })?;
    let report = session.add(worker("report"))?;
    let boss = session.add(worker("boss"))?;
    session.set_parent(report, workers::manager_id, boss)?;
    session.get_mut(old_post)?.title = "edited".into();
    session.delete(old_remark)?;
    session.flush()?;
    session.commit()?;
    assert_eq!(session.get(report)?.manager_id, Some(session.get(boss)?.id));
    drop(session);

    let titles: Vec<(String, String)> = articles::table
        .inner_join(authors::table)
        .order(articles::title)
        .select((articles::title, authors::name))
        .load(conn)?;
    assert_eq!(titles, [("edited".to_string(), "ann".to_string()), ("new".to_string(), "bob".to_string())]);
    let bodies: Vec<String> = remarks::table.select(remarks::body).load(conn)?;
    assert_eq!(bodies, ["new"]);
    assert_eq!(count!(conn, workers), 2);
    Ok(())
}

fn batched_updates_check_every_version(conn) {
    schema().create_all(conn)?;
    let registry = Registry::new(&schema());
    let mut session = Session::new(&registry, conn);
    let ann = session.add(author("ann"))?;
    let posts: Vec<_> = (0..3)
        .map(|i| session.add_child(ann, articles::author_id, article(&format!("p{i}"))))
        .collect::<QueryResult<_>>()?;
    session.commit()?;
    for (i, post) in posts.iter().enumerate() {
        session.get_mut(*post)?.views = 10 + i as i32;
    }
    session.commit()?;
    for post in &posts {
        assert_eq!(session.get(*post)?.version, 2);
    }
    // One of the three rows changes behind the session's back: the batch matches two of
    // three, and nothing of it is kept.
    for post in &posts {
        session.get_mut(*post)?.views += 100;
    }
    let first_id = session.get(posts[0])?.id;
    session.set_autoflush(false);
    session
        .connection()?
        .batch_execute(&format!("UPDATE articles SET version = 7 WHERE id = {first_id}"))?;
    let err = session.flush().expect_err("one row is stale");
    assert_eq!(err.kind(), ErrorKind::StaleData, "{err}");
    assert_eq!(session.get(posts[1])?.version, 2, "the failed flush bumped no version");
    session.rollback()?;
    drop(session);
    let views: Vec<i32> = articles::table.order(articles::id).select(articles::views).load(conn)?;
    assert_eq!(views, [10, 11, 12]);
    Ok(())
}

fn composite_foreign_keys_link_load_and_cascade(conn) {
    schema().create_all(conn)?;
    let registry = Registry::new(&schema())
        .cascade(shop_orders::shop_id, Cascade::DELETE)
        .cascade(order_lines::order, Cascade::DELETE);
    let mut session = Session::new(&registry, conn);
    let shop = session.add(Shop { id: 0, name: "s".into() })?;
    let mut orders = Vec::new();
    for number in 1..=2 {
        let order = session.add_child(shop, shop_orders::shop_id, ShopOrder { shop_id: 0, number, note: "n".into() })?;
        for item in ["a", "b"] {
            // The two-column key is copied from the order (whose shop_id comes from the shop).
            session.add_child(order, order_lines::order, OrderLine { id: 0, shop_id: 0, order_number: 0, item: item.into() })?;
        }
        orders.push(order);
    }
    session.commit()?;
    let shop_id = session.get(shop)?.id;
    let lines = session.children::<ShopOrder, OrderLine, _>(&orders, order_lines::order)?;
    assert_eq!(lines.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2]);
    for (order, lines) in orders.iter().zip(&lines) {
        let number = session.get(*order)?.number;
        for line in lines {
            assert_eq!((session.get(*line)?.shop_id, session.get(*line)?.order_number), (shop_id, number));
        }
    }
    drop(session);
    // A new session deletes the shop: its orders and their lines (reached through the
    // two-column key, never loaded) go first.
    let mut session = Session::new(&registry, conn);
    let shop = session.find::<Shop>(shop_id)?.expect("the shop exists");
    session.delete(shop)?;
    session.commit()?;
    drop(session);
    assert_eq!(count!(conn, order_lines), 0);
    assert_eq!(count!(conn, shop_orders), 0);
    assert_eq!(count!(conn, shops), 0);
    Ok(())
}

fn set_parent_again_replaces_the_parent(conn) {
    schema().create_all(conn)?;
    let registry = Registry::new(&schema());
    let mut session = Session::new(&registry, conn);
    let ann = session.add(author("ann"))?;
    let bob = session.add(author("bob"))?;
    let post = session.add_child(ann, articles::author_id, article("moved"))?;
    session.set_parent(post, articles::author_id, bob)?;
    session.commit()?;
    assert_eq!(session.get(post)?.author_id, session.get(bob)?.id);
    // A persistent child moves to another persistent parent: an UPDATE of its foreign key.
    session.set_parent(post, articles::author_id, ann)?;
    assert_eq!(session.modified_columns(post)?, ["author_id"], "a parent with a key is copied at once");
    // A persistent child of a new parent gets the parent's generated key at flush, as an UPDATE.
    let cy = session.add(author("cy"))?;
    session.set_parent(post, articles::author_id, cy)?;
    session.commit()?;
    assert_eq!(session.get(post)?.author_id, session.get(cy)?.id);
    session.set_parent(post, articles::author_id, ann)?;
    session.commit()?;
    let ann_id = session.get(ann)?.id;
    assert_eq!(session.get(post)?.author_id, ann_id);
    // A later flush of other changes leaves the child alone: no UPDATE, no new version.
    let version = session.get(post)?.version;
    session.get_mut(ann)?.name = "ann 2".into();
    session.commit()?;
    assert_eq!(session.get(post)?.version, version);
    drop(session);
    let stored: i32 = articles::table.select(articles::author_id).first(conn)?;
    assert_eq!(stored, ann_id);
    Ok(())
}

fn a_table_outside_the_registry_is_refused(conn) {
    schema().create_all(conn)?;
    let registry = Registry::new(&Schema::new().table(authors::table));
    let mut session = Session::new(&registry, conn);
    session.add(worker("w"))?;
    let err = session.flush().expect_err("workers is not in the registry");
    assert_eq!(err.kind(), ErrorKind::ObjectState);
    assert!(err.message().contains("workers"), "{err}");
    Ok(())
}

fn rollback_restores_the_session(conn) {
    schema().create_all(conn)?;
    let registry = Registry::new(&schema());
    let mut session = Session::new(&registry, conn);
    let ann = session.add(author("ann"))?;
    session.commit()?;
    session.get_mut(ann)?.name = "changed".into();
    let bob = session.add(author("bob"))?;
    session.flush()?;
    session.rollback()?;
    assert_eq!(session.get(ann)?.name, "ann", "the value as at the transaction's start");
    assert!(session.get(bob).is_err(), "an object added in the transaction leaves");
    // A savepoint that fails undoes only its own work.
    session.get_mut(ann)?.name = "outer".into();
    let inner = session.begin_nested(|s| {
        s.get_mut(ann)?.name = "inner".into();
        s.add(author("nested"))?;
        Err::<(), _>(Error::new(ErrorKind::Other, "give up"))
    });
    assert!(inner.is_err());
    assert_eq!(session.get(ann)?.name, "outer");
    session.commit()?;
    drop(session);
    let names: Vec<String> = authors::table.select(authors::name).load(conn)?;
    assert_eq!(names, ["outer"]);
    Ok(())
}

fn events_run_around_each_statement(conn) {
    schema().create_all(conn)?;
    let inserted = Arc::new(AtomicUsize::new(0));
    let flushes = Arc::new(AtomicUsize::new(0));
    let (i, f) = (inserted.clone(), flushes.clone());
    let registry = Registry::new(&schema())
        .before_insert::<Author>(|a| {
            if a.name.is_empty() {
                return Err(Error::new(ErrorKind::InvalidQuery, "an author needs a name"));
            }
            a.email.get_or_insert_with(|| format!("{}@example.com", a.name));
            Ok(())
        })
        .after_insert::<Author>(move |_| {
            i.fetch_add(1, Ordering::SeqCst);
        })
        .before_update::<Article>(|p| {
            p.views += 1000; // an audit column, written with the change
            Ok(())
        })
        .after_flush(move |summary| {
            f.fetch_add(summary.inserts.len() + summary.updates.len(), Ordering::SeqCst);
            Ok(())
        });
    let mut session = Session::new(&registry, conn);
    let ann = session.add(author("ann"))?;
    let post = session.add_child(ann, articles::author_id, article("t"))?;
    session.commit()?;
    assert_eq!(session.get(ann)?.email.as_deref(), Some("ann@example.com"));
    assert_eq!(inserted.load(Ordering::SeqCst), 1);
    session.get_mut(post)?.title = "changed".into();
    session.commit()?;
    assert_eq!(session.get(post)?.views, 1000);
    assert_eq!(flushes.load(Ordering::SeqCst), 3, "two tables inserted, then one updated");
    let nameless = session.add(author(""))?;
    let err = session.flush().expect_err("the flush must fail");
    assert!(err.message().contains("needs a name"), "{err}");
    assert_eq!(session.state(nameless)?, ObjectState::Pending);
    drop(session);
    let views: i32 = articles::table.select(articles::views).first(conn)?;
    assert_eq!(views, 1000);
    Ok(())
}

fn detached_objects_expire_refresh_and_merge(conn) {
    schema().create_all(conn)?;
    let registry = Registry::new(&schema());
    let mut session = Session::new(&registry, conn);
    let ann = session.add(author("ann"))?;
    session.commit()?;
    let detached = session.expunge(ann)?;
    assert!(session.get(ann).is_err());
    let mut changed = detached.clone();
    changed.name = "merged".into();
    let merged = session.merge(changed)?;
    assert_eq!(session.modified_columns(merged)?, ["name"]);
    session.commit()?;
    session
        .connection()?
        .batch_execute("UPDATE authors SET name = 'from elsewhere'")?;
    session.expire(merged)?;
    assert_eq!(session.get(merged).expect_err("expired").kind(), ErrorKind::ObjectState);
    session.refresh(merged)?;
    assert_eq!(session.get(merged)?.name, "from elsewhere");
    assert_eq!(session.get(merged)?.primary_key(), detached.id);
    session.commit()?;
    Ok(())
}
}

/// Two sessions on two connections change the same row: the second to flush gets
/// `StaleData`, keeps nothing, and succeeds after reloading.
fn concurrent_sessions_conflict<C>(a: &mut C, b: &mut C) -> QueryResult<()>
where
    C: Connection,
    C::Backend: philtre::schema::SchemaDialect,
    Author: philtre::orm::EntityRow<C::Backend>,
    Article: philtre::orm::EntityRow<C::Backend>,
{
    schema().create_all(a)?;
    let registry = Registry::new(&schema());
    {
        let mut setup = Session::new(&registry, a);
        let ann = setup.add(author("ann"))?;
        setup.add_child(ann, articles::author_id, article("t"))?;
        setup.commit()?;
    }
    let mut first = Session::new(&registry, a);
    let mut second = Session::new(&registry, b);
    let mine = first.load(articles::table.select(Article::as_select()))?[0];
    let theirs = second.load(articles::table.select(Article::as_select()))?[0];
    first.get_mut(mine)?.views = 1;
    first.commit()?;
    second.get_mut(theirs)?.views = 2;
    let err = second.commit().expect_err("the second writer is stale");
    assert_eq!(err.kind(), ErrorKind::StaleData, "{err}");
    second.rollback()?;
    let theirs = second.load_fresh(articles::table.select(Article::as_select()))?[0];
    assert_eq!(second.get(theirs)?.version, 2);
    second.get_mut(theirs)?.views += 10;
    second.commit()?;
    drop(second);
    first.rollback()?;
    let fresh = first.load_fresh(articles::table.select(Article::as_select()))?[0];
    assert_eq!(
        (first.get(fresh)?.views, first.get(fresh)?.version),
        (11, 3)
    );
    Ok(())
}

#[test]
fn concurrent_sessions_conflict_on_postgres() -> QueryResult<()> {
    let Some(mut a) = philtre_tests::harness::open_postgres() else {
        return Ok(());
    };
    let mut b = a.second_connection();
    concurrent_sessions_conflict(&mut *a, &mut b)
}

#[test]
fn concurrent_sessions_conflict_on_mysql() -> QueryResult<()> {
    let Some(mut a) = philtre_tests::harness::open_mysql() else {
        return Ok(());
    };
    let mut b = a.second_connection();
    concurrent_sessions_conflict(&mut *a, &mut b)
}

/// MySQL's batched keys (`LAST_INSERT_ID()` + consecutive ids) stay right while another
/// connection inserts into the same table at the same time.
#[test]
fn mysql_batched_keys_hold_under_concurrent_inserters() -> QueryResult<()> {
    let Some(mut db) = philtre_tests::harness::open_mysql() else {
        return Ok(());
    };
    schema().create_all(&mut *db)?;
    let others: Vec<_> = (0..2).map(|_| db.second_connection()).collect();
    let registry = Registry::new(&schema());
    let handles: Vec<_> = others
        .into_iter()
        .enumerate()
        .map(|(t, mut conn)| {
            let registry = registry.clone();
            std::thread::spawn(move || -> QueryResult<Vec<(i32, String)>> {
                let mut out = Vec::new();
                for round in 0..10 {
                    let mut session = Session::new(&registry, &mut conn);
                    let keys =
                        session.add_all((0..300).map(|i| author(&format!("t{t}r{round}i{i}"))))?;
                    session.commit()?;
                    for key in keys {
                        let a = session.get(key)?;
                        out.push((a.id, a.name.clone()));
                    }
                }
                Ok(out)
            })
        })
        .collect();
    let mut objects = Vec::new();
    for handle in handles {
        objects.extend(handle.join().expect("inserter thread")?);
    }
    objects.sort();
    let mut stored: Vec<(i32, String)> = authors::table
        .select((authors::id, authors::name))
        .load(&mut *db)?;
    stored.sort();
    assert_eq!(stored.len(), 6000);
    assert_eq!(stored, objects, "every object got its own row's key");
    Ok(())
}

/// A session on a connection checked out of an engine's pool, as a service would use it: the
/// work is committed, the connection goes back, and another checkout sees the rows.
#[test]
fn a_session_on_a_pooled_connection() -> QueryResult<()> {
    let path = std::env::temp_dir().join(format!("{}.db", philtre_tests::harness::unique_name()));
    let url = format!("sqlite:///{}", path.display());
    let engine =
        philtre_engine::EngineBuilder::<philtre_sqlite::SqliteConnection>::new(&url).build()?;
    let registry = Registry::new(&schema());
    {
        let mut conn = engine.connect()?;
        schema().create_all(&mut *conn)?;
        let mut session = Session::new(&registry, &mut *conn);
        let ann = session.add(author("ann"))?;
        session.add_child(ann, articles::author_id, article("pooled"))?;
        session.commit()?;
    }
    let mut conn = engine.connect()?;
    let titles: Vec<String> = articles::table.select(articles::title).load(&mut *conn)?;
    drop(conn);
    drop(engine);
    let _ = std::fs::remove_file(&path);
    assert_eq!(titles, ["pooled"]);
    Ok(())
}

// No `Rc<RefCell>` anywhere: a session moves between threads with its connection, keys are
// plain `Copy` values, and one registry serves every thread.
static_assertions::assert_impl_all!(Session<'static, philtre_sqlite::SqliteConnection>: Send);
static_assertions::assert_impl_all!(Session<'static, philtre_postgres::PgConnection>: Send);
static_assertions::assert_impl_all!(Session<'static, philtre_mysql::MysqlConnection>: Send);
static_assertions::assert_impl_all!(philtre::orm::Key<Author>: Send, Sync, Copy);
static_assertions::assert_impl_all!(Registry: Send, Sync, Clone);
