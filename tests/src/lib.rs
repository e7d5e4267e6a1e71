//! The schema and helpers the integration tests share.

use philtre::prelude::*;

philtre::table! {
    /// People.
    users (id) {
        #[auto_increment]
        id -> Integer,
        #[max_length = 100]
        name -> Text,
        #[unique]
        #[max_length = 100]
        email -> Nullable<Text>,
        #[default = 0]
        #[check = "score >= 0"]
        score -> Integer,
    }
    posts (id) {
        #[auto_increment]
        id -> Integer,
        user_id -> Integer references users(id),
        #[max_length = 200]
        title -> Text,
        body -> Nullable<Text>,
    }
    post_tags (post_id, tag) {
        post_id -> Integer references posts(id),
        #[max_length = 50]
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

/// A row of `posts`, selected by column name.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = posts)]
pub struct Post {
    /// Key.
    pub id: i32,
    /// Author.
    pub user_id: i32,
    /// Title.
    pub title: String,
    /// Text, if any.
    pub body: Option<String>,
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

pub mod harness;

/// A row of `all_types`, one field per column, in order.
#[derive(Debug, PartialEq, Queryable, Selectable, Insertable)]
#[philtre(table = all_types)]
pub struct AllTypes {
    /// Key.
    pub id: i32,
    /// `Bool`.
    pub flag: bool,
    /// `SmallInt`.
    pub small: i16,
    /// `BigInt`.
    pub big: i64,
    /// `Float`.
    pub real: f32,
    /// `Double`.
    pub double: f64,
    /// `Text` (the column is named `type`).
    pub kind: String,
    /// `Binary`.
    pub data: Vec<u8>,
    /// `Date`.
    pub day: time::Date,
    /// `Time`.
    pub clock: time::Time,
    /// `Timestamp`.
    pub at: time::PrimitiveDateTime,
    /// `Nullable<Integer>`.
    pub maybe: Option<i32>,
}

/// The test schema, created on every backend by `Schema::create_all`.
pub fn schema() -> Schema {
    Schema::new()
        .table(users::table)
        .table(posts::table)
        .table(post_tags::table)
        .table(all_types::table)
}
