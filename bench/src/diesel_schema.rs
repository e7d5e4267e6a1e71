//! diesel's schema, row structs and contender macro, shared by this crate and by
//! `sqlite-peers/` (which includes this file), so every diesel backend runs the same code.

use diesel::prelude::*;

pub mod schema {
    diesel::table! {
        users (id) {
            id -> Integer,
            name -> Text,
            hair_color -> Nullable<Text>,
        }
    }
    diesel::table! {
        posts (id) {
            id -> Integer,
            user_id -> Integer,
            title -> Text,
            body -> Nullable<Text>,
        }
    }
    diesel::table! {
        comments (id) {
            id -> Integer,
            post_id -> Integer,
            text -> Text,
        }
    }
    diesel::joinable!(posts -> users (user_id));
    diesel::joinable!(comments -> posts (post_id));
    diesel::allow_tables_to_appear_in_same_query!(users, posts, comments);
}

pub use schema::{comments, posts, users};

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct DieselUser {
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = posts)]
pub struct DieselPost {
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = comments)]
pub struct DieselComment {
    pub id: i32,
    pub post_id: i32,
    pub text: String,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct DieselNewUser<'a> {
    pub name: &'a str,
    pub hair_color: Option<&'a str>,
}

impl From<DieselUser> for crate::User {
    fn from(u: DieselUser) -> Self {
        crate::User {
            id: u.id,
            name: u.name,
            hair_color: u.hair_color,
        }
    }
}

impl From<DieselPost> for crate::Post {
    fn from(p: DieselPost) -> Self {
        crate::Post {
            id: p.id,
            user_id: p.user_id,
            title: p.title,
            body: p.body,
        }
    }
}

impl From<DieselComment> for crate::Comment {
    fn from(c: DieselComment) -> Self {
        crate::Comment {
            id: c.id,
            post_id: c.post_id,
            text: c.text,
        }
    }
}

/// Defines a diesel contender over one connection type.
macro_rules! diesel_contender {
    ($name:ident, $conn:ty) => {
        /// diesel on one database.
        pub struct $name(pub $conn);

        impl $name {
            pub fn open(url: &str) -> Self {
                $name(<$conn>::establish(url).expect("diesel connect"))
            }
        }

        impl Contender for $name {
            fn run_sql(&mut self, sql: &str) {
                diesel::connection::SimpleConnection::batch_execute(&mut self.0, sql)
                    .expect("set-up SQL");
            }

            fn trivial(&mut self) -> Vec<crate::User> {
                users::table
                    .select(DieselUser::as_select())
                    .load(&mut self.0)
                    .expect("trivial")
                    .into_iter()
                    .map(Into::into)
                    .collect()
            }

            fn medium(&mut self) -> Vec<(crate::User, Option<crate::Post>)> {
                users::table
                    .left_join(posts::table)
                    .filter(users::hair_color.eq("black"))
                    .select((DieselUser::as_select(), Option::<DieselPost>::as_select()))
                    .load::<(DieselUser, Option<DieselPost>)>(&mut self.0)
                    .expect("medium")
                    .into_iter()
                    .map(|(u, p)| (u.into(), p.map(Into::into)))
                    .collect()
            }

            fn insert(&mut self, new: &[NewUser]) -> usize {
                let rows: Vec<DieselNewUser<'_>> = new
                    .iter()
                    .map(|u| DieselNewUser {
                        name: &u.name,
                        hair_color: u.hair_color.as_deref(),
                    })
                    .collect();
                diesel::insert_into(users::table)
                    .values(&rows)
                    .execute(&mut self.0)
                    .expect("insert")
            }

            fn associations(&mut self) -> UserTree {
                let users: Vec<crate::User> = self.trivial();
                let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                let posts: Vec<crate::Post> = posts::table
                    .filter(posts::user_id.eq_any(&ids))
                    .select(DieselPost::as_select())
                    .load(&mut self.0)
                    .expect("posts")
                    .into_iter()
                    .map(Into::into)
                    .collect();
                let post_ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
                let comments: Vec<crate::Comment> = comments::table
                    .filter(comments::post_id.eq_any(&post_ids))
                    .select(DieselComment::as_select())
                    .load(&mut self.0)
                    .expect("comments")
                    .into_iter()
                    .map(Into::into)
                    .collect();
                crate::regroup(users, posts, comments)
            }
        }
    };
}

pub(crate) use diesel_contender;
