//! sea-orm 2.0 on SQLite through its synchronous build (`sea-orm-sync` over rusqlite): the same
//! calls as `../../src/sea_orm_contender.rs` without the runtime.

use sea_orm::{
    ActiveValue, ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    EntityTrait, LoaderTrait, QueryFilter,
};

use crate::sea_orm_entities::{comment, post, user};
use crate::{Contender, NewUser, Post, User, UserTree};

/// sea-orm on an in-memory SQLite database.
pub struct SeaOrmSqlite(DatabaseConnection);

impl SeaOrmSqlite {
    pub fn open(url: &str) -> Self {
        let mut options = ConnectOptions::new(url);
        options.max_connections(1).sqlx_logging(false);
        SeaOrmSqlite(Database::connect(options).expect("sea-orm connect"))
    }
}

impl Contender for SeaOrmSqlite {
    fn run_sql(&mut self, sql: &str) {
        for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            self.0.execute_unprepared(statement).expect("set-up SQL");
        }
    }

    fn trivial(&mut self) -> Vec<User> {
        let users = user::Entity::find().all(&self.0).expect("trivial");
        users.into_iter().map(Into::into).collect()
    }

    fn medium(&mut self) -> Vec<(User, Option<Post>)> {
        let rows = user::Entity::find()
            .find_also_related(post::Entity)
            .filter(user::Column::HairColor.eq("black"))
            .all(&self.0)
            .expect("medium");
        rows.into_iter()
            .map(|(u, p)| (u.into(), p.map(Into::into)))
            .collect()
    }

    fn insert(&mut self, new: &[NewUser]) -> usize {
        let models = new.iter().map(|u| user::ActiveModel {
            id: ActiveValue::NotSet,
            name: ActiveValue::Set(u.name.clone()),
            hair_color: ActiveValue::Set(u.hair_color.clone()),
        });
        let inserted = user::Entity::insert_many(models)
            .exec_without_returning(&self.0)
            .expect("insert");
        inserted as usize
    }

    fn associations(&mut self) -> UserTree {
        let users = user::Entity::find().all(&self.0).expect("users");
        let posts = users.load_many(post::Entity, &self.0).expect("posts");
        // Regrouped by position: the loader returns one list per parent, in order.
        let per_user: Vec<usize> = posts.iter().map(Vec::len).collect();
        let posts: Vec<post::Model> = posts.into_iter().flatten().collect();
        let comments = posts.load_many(comment::Entity, &self.0).expect("comments");
        let mut posts = posts.into_iter().zip(comments).map(|(post, comments)| {
            let comments = comments.into_iter().map(Into::into).collect();
            (post.into(), comments)
        });
        users
            .into_iter()
            .zip(per_user)
            .map(|(user, n)| (user.into(), posts.by_ref().take(n).collect()))
            .collect()
    }
}
