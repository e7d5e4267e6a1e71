//! The schema and helpers the integration tests share.

use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;

philtre::table! {
    /// People.
    users (id) {
        id -> Integer,
        name -> Text,
        email -> Nullable<Text>,
        score -> Integer,
    }
    posts (id) {
        id -> Integer,
        user_id -> Integer references users(id),
        title -> Text,
        body -> Nullable<Text>,
    }
    post_tags (post_id, tag) {
        post_id -> Integer references posts(id),
        tag -> Text,
    }
    #[sql_name = "all types"]
    all_types (id) {
        id -> Integer,
        flag -> Bool,
        small -> SmallInt,
        big -> BigInt,
        real -> Float,
        double -> Double,
        #[sql_name = "type"]
        kind -> Text,
        data -> Binary,
        day -> Date,
        clock -> Time,
        at -> Timestamp,
        maybe -> Nullable<Integer>,
    }
}

/// A row of `users`, selected by column name.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[philtre(table = users)]
pub struct User {
    /// Key.
    pub id: i32,
    /// Name.
    pub name: String,
    /// Email, if known.
    pub email: Option<String>,
    /// Score.
    pub score: i32,
}

/// A new user; `None` fields take the column default.
#[derive(Debug, Clone, Insertable)]
#[philtre(table = users)]
pub struct NewUser<'a> {
    /// Name.
    pub name: &'a str,
    /// Email.
    pub email: Option<&'a str>,
    /// Score (default 0).
    pub score: Option<i32>,
}

/// Changes to a user; `None` fields are left alone.
#[derive(Debug, Clone, Default, AsChangeset)]
#[philtre(table = users)]
pub struct UserChanges {
    /// New name.
    pub name: Option<String>,
    /// New score.
    pub score: Option<i32>,
}

/// The DDL for the test schema (until `create_all` exists).
pub const SCHEMA: &str = r#"
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT UNIQUE,
    score INTEGER NOT NULL DEFAULT 0 CHECK (score >= 0)
);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    body TEXT
);
CREATE TABLE post_tags (
    post_id INTEGER NOT NULL REFERENCES posts(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (post_id, tag)
);
CREATE TABLE "all types" (
    id INTEGER PRIMARY KEY,
    flag BOOLEAN NOT NULL,
    small SMALLINT NOT NULL,
    big BIGINT NOT NULL,
    real REAL NOT NULL,
    double DOUBLE PRECISION NOT NULL,
    "type" TEXT NOT NULL,
    data BLOB NOT NULL,
    day DATE NOT NULL,
    clock TIME NOT NULL,
    at TIMESTAMP NOT NULL,
    maybe INTEGER
);
"#;

/// A fresh in-memory database with the test schema; each test gets its own.
pub fn connection() -> SqliteConnection {
    let mut conn = SqliteConnection::open(":memory:").expect("in-memory SQLite opens");
    conn.batch_execute(SCHEMA).expect("test schema is valid");
    conn
}

/// A fresh database with users Ann (score 3), Bob (1, bob@x) and Cy (2, cy@x), and posts.
pub fn seeded() -> SqliteConnection {
    let mut conn = connection();
    conn.batch_execute(
        "INSERT INTO users (id, name, email, score) VALUES (1, 'Ann', NULL, 3), (2, 'Bob', 'bob@x', 1), (3, 'Cy', 'cy@x', 2);
         INSERT INTO posts (id, user_id, title, body) VALUES (1, 1, 'Hello', NULL), (2, 1, 'Again', 'more'), (3, 2, 'Bobs', 'b');",
    )
    .expect("seed data is valid");
    conn
}
