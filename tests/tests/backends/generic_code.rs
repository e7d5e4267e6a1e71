//! Code generic over the backend with one bound: a repository written once against
//! `C: Connection<Backend: StandardBackend>` runs its queries — reads, joins, aggregates,
//! subqueries, inserts, updates, deletes, derived row structs — on every backend.

use philtre::backend::StandardBackend;
use philtre::connection::Connection;
use philtre::prelude::*;
use philtre_tests::*;

/// Users and their posts, for any connection.
struct Accounts<'c, C> {
    conn: &'c mut C,
}

impl<C> Accounts<'_, C>
where
    C: Connection<Backend: StandardBackend>,
{
    fn add(&mut self, name: &str, email: Option<&str>, score: i32) -> QueryResult<usize> {
        insert_into(users::table)
            .values((
                users::name.eq(name),
                users::email.eq(email),
                users::score.eq(score),
            ))
            .execute(self.conn)
    }

    fn add_new(&mut self, user: NewUser<'_>) -> QueryResult<usize> {
        insert_into(users::table).values(user).execute(self.conn)
    }

    fn add_post(&mut self, author: &str, title: &str, body: Option<String>) -> QueryResult<usize> {
        let id = self.id_of(author)?;
        insert_into(posts::table)
            .values((
                posts::user_id.eq(id),
                posts::title.eq(title),
                posts::body.eq(body),
            ))
            .execute(self.conn)
    }

    fn id_of(&mut self, name: &str) -> QueryResult<i32> {
        users::table
            .filter(users::name.eq(name))
            .select(users::id)
            .first(self.conn)
    }

    fn find(&mut self, id: i32) -> QueryResult<Option<User>> {
        users::table
            .find(id)
            .select(User::as_select())
            .first(self.conn)
            .optional()
    }

    fn all(&mut self) -> QueryResult<Vec<User>> {
        users::table
            .order(users::id)
            .select(User::as_select())
            .load(self.conn)
    }

    fn named_like(&mut self, pattern: &str) -> QueryResult<Vec<String>> {
        users::table
            .filter(users::name.like(pattern))
            .order(users::name)
            .select(users::name)
            .load(self.conn)
    }

    fn with_email(&mut self) -> QueryResult<Vec<(String, Option<String>)>> {
        users::table
            .filter(users::email.is_not_null())
            .order(users::id)
            .select((users::name, users::email))
            .load(self.conn)
    }

    fn scoring_between(&mut self, low: i32, high: i32) -> QueryResult<Vec<i32>> {
        users::table
            .filter(users::score.between(low, high))
            .order(users::id)
            .select(users::id)
            .load(self.conn)
    }

    fn among(&mut self, ids: Vec<i32>) -> QueryResult<Vec<String>> {
        users::table
            .filter(users::id.eq_any(ids))
            .order(users::id)
            .select(users::name)
            .load(self.conn)
    }

    fn page(&mut self, size: i64, offset: i64) -> QueryResult<Vec<i32>> {
        users::table
            .order(users::id)
            .select(users::id)
            .limit(size)
            .offset(offset)
            .load(self.conn)
    }

    fn count(&mut self) -> QueryResult<i64> {
        users::table.select(count_star()).first(self.conn)
    }

    fn total_score(&mut self) -> QueryResult<Option<i64>> {
        users::table.select(sum(users::score)).first(self.conn)
    }

    fn best(&mut self) -> QueryResult<Option<i32>> {
        users::table.select(max(users::score)).first(self.conn)
    }

    fn titles(&mut self) -> QueryResult<Vec<(String, String)>> {
        users::table
            .inner_join(posts::table)
            .order(posts::id)
            .select((users::name, posts::title))
            .load(self.conn)
    }

    fn posts_per_user(&mut self) -> QueryResult<Vec<(String, i64)>> {
        users::table
            .left_join(posts::table)
            .group_by((users::id, users::name))
            .order(users::id)
            .select((users::name, count(posts::id)))
            .load(self.conn)
    }

    fn prolific(&mut self, at_least: i64) -> QueryResult<Vec<i32>> {
        posts::table
            .group_by(posts::user_id)
            .having(count_star().ge(at_least))
            .order(posts::user_id)
            .select(posts::user_id)
            .load(self.conn)
    }

    fn authors(&mut self) -> QueryResult<Vec<String>> {
        users::table
            .filter(users::id.eq_any(posts::table.select(posts::user_id)))
            .order(users::id)
            .select(users::name)
            .load(self.conn)
    }

    fn silent(&mut self) -> QueryResult<Vec<String>> {
        users::table
            .filter(not(exists(
                posts::table
                    .correlate(users::table)
                    .filter(posts::user_id.eq(users::id)),
            )))
            .order(users::id)
            .select(users::name)
            .load(self.conn)
    }

    fn posts_of(&mut self, name: &str) -> QueryResult<Vec<Post>> {
        posts::table
            .inner_join(users::table)
            .filter(users::name.eq(name))
            .order(posts::id)
            .select(Post::as_select())
            .load(self.conn)
    }

    fn ranked(&mut self) -> QueryResult<Vec<(String, String)>> {
        users::table
            .order((users::score.desc(), users::id))
            .select((
                users::name,
                case_when(users::score.ge(10), "high").otherwise("low"),
            ))
            .load(self.conn)
    }

    fn display_names(&mut self) -> QueryResult<Vec<String>> {
        users::table
            .order(users::id)
            .select(coalesce(users::email, users::name))
            .load(self.conn)
    }

    fn bump(&mut self, id: i32, by: i32) -> QueryResult<usize> {
        update(users::table.filter(users::id.eq(id)))
            .set(users::score.eq(users::score + by))
            .execute(self.conn)
    }

    fn change(&mut self, id: i32, changes: UserChanges) -> QueryResult<usize> {
        update(users::table.filter(users::id.eq(id)))
            .set(changes)
            .execute(self.conn)
    }

    fn clear_email(&mut self, name: &str) -> QueryResult<usize> {
        update(users::table.filter(users::name.eq(name)))
            .set(users::email.eq(None::<String>))
            .execute(self.conn)
    }

    fn remove_posts_of(&mut self, id: i32) -> QueryResult<usize> {
        delete(posts::table.filter(posts::user_id.eq(id))).execute(self.conn)
    }

    fn remove(&mut self, id: i32) -> QueryResult<usize> {
        delete(users::table.filter(users::id.eq(id))).execute(self.conn)
    }

    fn rename_all_in_one_transaction(&mut self, suffix: &str) -> QueryResult<()> {
        self.conn.transaction(|conn| {
            let names: Vec<(i32, String)> = users::table
                .order(users::id)
                .select((users::id, users::name))
                .load(conn)?;
            for (id, name) in names {
                update(users::table.filter(users::id.eq(id)))
                    .set(users::name.eq(format!("{name}{suffix}")))
                    .execute(conn)?;
            }
            Ok(())
        })
    }
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn a_repository_generic_over_the_backend_runs_everywhere(conn) {
    let mut accounts = Accounts { conn };
    accounts.add("Ann", Some("ann@x"), 12)?;
    accounts.add("Bob", None, 3)?;
    accounts.add_new(NewUser { name: "Cy", email: Some("cy@x"), score: None })?;
    accounts.add_post("Ann", "Hello", None)?;
    accounts.add_post("Ann", "Again", Some("more".to_owned()))?;
    accounts.add_post("Cy", "Mine", None)?;
    let ann = accounts.id_of("Ann")?;
    let bob = accounts.id_of("Bob")?;
    let cy = accounts.id_of("Cy")?;

    assert_eq!(accounts.find(ann)?.map(|u| u.score), Some(12));
    assert_eq!(accounts.find(-1)?, None);
    assert_eq!(accounts.all()?.len(), 3);
    assert_eq!(accounts.named_like("%y")?, ["Cy"]);
    assert_eq!(accounts.with_email()?, [("Ann".to_owned(), Some("ann@x".to_owned())), ("Cy".to_owned(), Some("cy@x".to_owned()))]);
    assert_eq!(accounts.scoring_between(0, 5)?, [bob, cy]);
    assert_eq!(accounts.among(vec![ann, cy])?, ["Ann", "Cy"]);
    assert_eq!(accounts.page(2, 1)?, [bob, cy]);
    assert_eq!(accounts.count()?, 3);
    assert_eq!(accounts.total_score()?, Some(15));
    assert_eq!(accounts.best()?, Some(12));
    assert_eq!(accounts.titles()?.len(), 3);
    assert_eq!(accounts.posts_per_user()?, [("Ann".to_owned(), 2), ("Bob".to_owned(), 0), ("Cy".to_owned(), 1)]);
    assert_eq!(accounts.prolific(2)?, [ann]);
    assert_eq!(accounts.authors()?, ["Ann", "Cy"]);
    assert_eq!(accounts.silent()?, ["Bob"]);
    assert_eq!(accounts.posts_of("Ann")?.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(), ["Hello", "Again"]);
    assert_eq!(accounts.ranked()?[0], ("Ann".to_owned(), "high".to_owned()));
    assert_eq!(accounts.display_names()?, ["ann@x", "Bob", "cy@x"]);

    assert_eq!(accounts.bump(bob, 10)?, 1);
    assert_eq!(accounts.change(cy, UserChanges { name: None, score: Some(7) })?, 1);
    assert_eq!(accounts.clear_email("Cy")?, 1);
    assert_eq!(accounts.find(bob)?.map(|u| u.score), Some(13));
    assert_eq!(accounts.find(cy)?.map(|u| (u.score, u.email)), Some((7, None)));
    assert_eq!(accounts.remove_posts_of(cy)?, 1);
    assert_eq!(accounts.remove(cy)?, 1);
    accounts.rename_all_in_one_transaction("!")?;
    assert_eq!(accounts.named_like("%!")?, ["Ann!", "Bob!"]);
    Ok(())
}
}
