//! sea-orm 2.0 on PostgreSQL and MySQL, its idiomatic way: entities with relations,
//! `find().all()`, `find_also_related` for the LEFT JOIN, `insert_many` for the INSERT and the
//! loader's `load_many` for the associations. sea-orm is async; each call runs on a
//! current-thread tokio runtime, as with sqlx, over a pool of one connection.

use sea_orm::{
    ActiveValue, ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    EntityTrait, LoaderTrait, QueryFilter,
};
use tokio::runtime::Runtime;

use crate::sea_orm_entities::{comment, post, user};
use crate::{Contender, NewUser, Post, User, UserTree};

/// sea-orm on one database (PostgreSQL or MySQL, from the URL's scheme).
pub struct SeaOrm {
    rt: Runtime,
    db: DatabaseConnection,
}

impl SeaOrm {
    pub fn open(url: &str) -> Self {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .expect("tokio runtime");
        let mut options = ConnectOptions::new(url);
        options
            .max_connections(1)
            .min_connections(1)
            .sqlx_logging(false);
        let db = rt
            .block_on(Database::connect(options))
            .expect("sea-orm connect");
        SeaOrm { rt, db }
    }
}

impl Contender for SeaOrm {
    fn run_sql(&mut self, sql: &str) {
        for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            self.rt
                .block_on(self.db.execute_unprepared(statement))
                .expect("set-up SQL");
        }
    }

    fn trivial(&mut self) -> Vec<User> {
        let users = self
            .rt
            .block_on(user::Entity::find().all(&self.db))
            .expect("trivial");
        users.into_iter().map(Into::into).collect()
    }

    fn medium(&mut self) -> Vec<(User, Option<Post>)> {
        let rows = self
            .rt
            .block_on(
                user::Entity::find()
                    .find_also_related(post::Entity)
                    .filter(user::Column::HairColor.eq("black"))
                    .all(&self.db),
            )
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
        let inserted = self
            .rt
            .block_on(user::Entity::insert_many(models).exec_without_returning(&self.db))
            .expect("insert");
        inserted as usize
    }

    fn associations(&mut self) -> UserTree {
        self.rt.block_on(async {
            let users = user::Entity::find().all(&self.db).await.expect("users");
            let posts = users
                .load_many(post::Entity, &self.db)
                .await
                .expect("posts");
            // Regrouped by position: the loader returns one list per parent, in order.
            let per_user: Vec<usize> = posts.iter().map(Vec::len).collect();
            let posts: Vec<post::Model> = posts.into_iter().flatten().collect();
            let comments = posts
                .load_many(comment::Entity, &self.db)
                .await
                .expect("comments");
            let mut posts = posts.into_iter().zip(comments).map(|(post, comments)| {
                let comments = comments.into_iter().map(Into::into).collect();
                (post.into(), comments)
            });
            users
                .into_iter()
                .zip(per_user)
                .map(|(user, n)| (user.into(), posts.by_ref().take(n).collect()))
                .collect()
        })
    }
}
