//! diesel 2.3 on PostgreSQL, written its idiomatic way: `table!`, `Queryable`/`Selectable`,
//! `belonging_to`-free three-query association loading (diesel's `grouped_by` needs
//! `Associations`; plain `eq_any` is the same SQL).

use diesel::pg::PgConnection;
use diesel::prelude::*;

use crate::{Contender, NewUser, UserTree};

mod schema {
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

use schema::{comments, posts, users};

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct DieselUser {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = posts)]
struct DieselPost {
    id: i32,
    user_id: i32,
    title: String,
    body: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = comments)]
struct DieselComment {
    id: i32,
    post_id: i32,
    text: String,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct DieselNewUser<'a> {
    name: &'a str,
    hair_color: Option<&'a str>,
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

/// diesel on PostgreSQL.
pub struct DieselPg(pub PgConnection);

impl DieselPg {
    pub fn open(url: &str) -> Self {
        DieselPg(PgConnection::establish(url).expect("diesel postgres"))
    }
}

impl Contender for DieselPg {
    fn run_sql(&mut self, sql: &str) {
        diesel::connection::SimpleConnection::batch_execute(&mut self.0, sql).expect("set-up SQL");
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
