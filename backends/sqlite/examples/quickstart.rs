//! philtre in one page, on an embedded SQLite database: declare a schema, insert, query,
//! update, delete, and use a transaction. Run it with `cargo run --example quickstart`.

use philtre::prelude::*;
use philtre_sqlite::{Sqlite, SqliteConnection};

philtre::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        email -> Nullable<Text>,
        #[default = 0]
        score -> Integer,
    }
    posts (id) {
        id -> Integer,
        user_id -> Integer references users(id),
        title -> Text,
    }
}

/// A user row, read by column name.
#[derive(Debug, Queryable, Selectable)]
#[philtre(table = users)]
struct User {
    id: i32,
    name: String,
    email: Option<String>,
    score: i32,
}

/// A user to insert; `score: None` takes the column default.
#[derive(Insertable)]
#[philtre(table = users)]
struct NewUser<'a> {
    name: &'a str,
    email: Option<&'a str>,
    score: Option<i32>,
}

fn main() -> Result<(), philtre::Error> {
    // SQL logging: `SqlLog` reports each statement and transaction through `tracing`; any
    // subscriber shows it. Set PHILTRE_ECHO=1 to see the SQL this example runs.
    let echo = std::env::var_os("PHILTRE_ECHO").is_some();
    if echo {
        tracing_subscriber::fmt().with_target(false).init();
    }
    let mut conn = SqliteConnection::open(":memory:")?;
    if echo {
        let log = philtre::connection::SqlLog::echo();
        conn.set_instrumentation(Some(std::sync::Arc::new(log)));
    }
    conn.batch_execute(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE,
                             score INTEGER NOT NULL DEFAULT 0);
         CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
                             title TEXT NOT NULL);",
    )?;
    println!("created tables users and posts in an in-memory SQLite database");

    let new_users = vec![
        NewUser {
            name: "Ada",
            email: Some("ada@example.com"),
            score: Some(12),
        },
        NewUser {
            name: "Brian",
            email: Some("brian@example.com"),
            score: Some(7),
        },
        NewUser {
            name: "Chris",
            email: Some("chris@example.com"),
            score: Some(3),
        },
    ];
    let inserted = insert_into(users::table)
        .values(&new_users)
        .execute(&mut conn)?;
    println!("inserted {inserted} users in one statement");
    let dora: User = insert_into(users::table)
        .values(&NewUser {
            name: "Dora",
            email: None,
            score: None,
        })
        .returning(User::as_select())
        .get_result(&mut conn)?;
    println!("inserted {dora:?} (score from the column default)");

    let query = users::table
        .filter(users::score.gt(5).or(users::email.is_null()))
        .order(users::name.asc())
        .select(User::as_select());
    println!("query: {}", debug_query::<Sqlite, _>(&query));
    for user in query.load::<User>(&mut conn)? {
        println!(
            "  {:>2} {:<6} {:<18} score {}",
            user.id,
            user.name,
            user.email.as_deref().unwrap_or("-"),
            user.score
        );
    }

    let bumped = update(users::table.filter(users::score.lt(10)))
        .set(users::score.eq(users::score + 10))
        .execute(&mut conn)?;
    println!("gave 10 points to {bumped} users");

    let result: Result<(), philtre::Error> = conn.transaction(|conn| {
        insert_into(posts::table)
            .values((posts::user_id.eq(dora.id), posts::title.eq("Hello")))
            .execute(conn)?;
        // The post's author does not exist: the foreign key stops this, and the whole
        // transaction, including the first post, is rolled back.
        insert_into(posts::table)
            .values((posts::user_id.eq(999), posts::title.eq("Orphan")))
            .execute(conn)?;
        Ok(())
    });
    let error = result.expect_err("the second post has no author");
    println!(
        "transaction failed with {:?} and was rolled back: {error}",
        error.kind()
    );
    let posts: i64 = posts::table.count().get_result(&mut conn)?;
    println!("posts after the rollback: {posts}");

    let removed = delete(users::table.filter(users::name.like("C%"))).execute(&mut conn)?;
    println!("deleted {removed} user(s) whose name starts with C");

    let left: Vec<(String, i32)> = users::table
        .select((users::name, users::score))
        .order(users::id)
        .load(&mut conn)?;
    println!("remaining: {left:?}");
    let missing = users::table
        .find(42)
        .select(User::as_select())
        .first::<User>(&mut conn)
        .optional()?;
    println!("user 42: {missing:?}");
    Ok(())
}
