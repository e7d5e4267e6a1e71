//! philtre's ORM loading (`load_with` + `selectin`) for the *associations* workload, beside
//! the hand-written three-query version in `philtre_contender.rs`.

use philtre::orm::{LoadDsl, LoadWithDsl, children};
use philtre::prelude::*;

use crate::{Comment, Post, User, UserTree, comments, posts, users};

/// The ORM contender: relationships loaded by selectin.
pub struct PhiltreOrm<C>(pub C);

/// The two loads the ORM benchmark times.
pub trait OrmLoads {
    /// 500 users with their posts (two queries).
    fn users_with_posts(&mut self) -> Vec<(User, Vec<Post>)>;
    /// Users → posts → comments (three queries).
    fn associations(&mut self) -> UserTree;
    /// 500 users with their posts in one query (LEFT OUTER JOIN).
    fn users_with_posts_joined(&mut self) -> Vec<(User, Vec<Post>)>;
    /// Users → posts (joined) → comments (selectin): two queries.
    fn associations_joined(&mut self) -> UserTree;
    /// Users → posts → comments, both joined: one query.
    fn associations_joined_twice(&mut self) -> UserTree;
    /// [`OrmLoads::users_with_posts`] as a user has it, in the ORM's own shape (`Loaded`
    /// rows), not converted to the tuples the contenders are compared in: the timed load.
    fn load_users_with_posts(&mut self) -> usize;
    /// [`OrmLoads::associations`] in the ORM's own shape: the timed load.
    fn load_associations(&mut self) -> usize;
    /// [`OrmLoads::users_with_posts_joined`] in the ORM's own shape: the timed load.
    fn load_users_with_posts_joined(&mut self) -> usize;
    /// [`OrmLoads::associations_joined`] in the ORM's own shape: the timed load.
    fn load_associations_joined(&mut self) -> usize;
    /// [`OrmLoads::associations_joined_twice`] in the ORM's own shape: the timed load.
    fn load_associations_joined_twice(&mut self) -> usize;
}

/// The tree from loaded users (posts, each with comments).
macro_rules! into_tree {
    ($rows:expr) => {
        $rows
            .into_iter()
            .map(|user| {
                let (user, posts) = user.into_parts();
                let posts = posts
                    .into_inner()
                    .into_iter()
                    .map(|post| {
                        let (post, comments) = post.into_parts();
                        (post, comments.into_inner())
                    })
                    .collect();
                (user, posts)
            })
            .collect()
    };
}

/// Users loaded with `$plan` on `$self.0`.
macro_rules! load_users {
    ($self:ident, $plan:expr, $what:literal) => {
        users::table
            .select(User::as_select())
            .load_with::<User>($plan, &mut $self.0)
            .expect($what)
    };
}

/// Users with their posts, from loaded users.
macro_rules! with_posts {
    ($rows:expr) => {
        $rows
            .into_iter()
            .map(|user| {
                let (user, posts) = user.into_parts();
                (user, posts.into_inner())
            })
            .collect()
    };
}

macro_rules! philtre_orm {
    ($conn:ty) => {
        impl OrmLoads for PhiltreOrm<$conn> {
            fn users_with_posts(&mut self) -> Vec<(User, Vec<Post>)> {
                let posts = children(posts::user_id);
                with_posts!(load_users!(
                    self,
                    posts.selectin::<Post>(),
                    "users with posts"
                ))
            }
            fn associations(&mut self) -> UserTree {
                let posts = children(posts::user_id).selectin::<Post>();
                let comments = children(comments::post_id).selectin::<Comment>();
                into_tree!(load_users!(self, posts.then(comments), "associations"))
            }
            fn load_users_with_posts(&mut self) -> usize {
                let posts = children(posts::user_id);
                load_users!(self, posts.selectin::<Post>(), "users with posts").len()
            }
            fn load_associations(&mut self) -> usize {
                let posts = children(posts::user_id).selectin::<Post>();
                let comments = children(comments::post_id).selectin::<Comment>();
                load_users!(self, posts.then(comments), "associations").len()
            }
            fn load_users_with_posts_joined(&mut self) -> usize {
                let posts = children(posts::user_id);
                load_users!(self, posts.joined::<Post>(), "users with posts, joined").len()
            }
            fn load_associations_joined(&mut self) -> usize {
                let posts = children(posts::user_id).joined::<Post>();
                let comments = children(comments::post_id).selectin::<Comment>();
                load_users!(self, posts.then(comments), "associations, joined").len()
            }
            fn load_associations_joined_twice(&mut self) -> usize {
                let posts = children(posts::user_id).joined::<Post>();
                let comments = children(comments::post_id).joined::<Comment>();
                load_users!(self, posts.then(comments), "associations, joined twice").len()
            }
            fn users_with_posts_joined(&mut self) -> Vec<(User, Vec<Post>)> {
                let posts = children(posts::user_id);
                with_posts!(load_users!(
                    self,
                    posts.joined::<Post>(),
                    "users with posts, joined"
                ))
            }
            fn associations_joined(&mut self) -> UserTree {
                let posts = children(posts::user_id).joined::<Post>();
                let comments = children(comments::post_id).selectin::<Comment>();
                into_tree!(load_users!(
                    self,
                    posts.then(comments),
                    "associations, joined"
                ))
            }
            fn associations_joined_twice(&mut self) -> UserTree {
                let posts = children(posts::user_id).joined::<Post>();
                let comments = children(comments::post_id).joined::<Comment>();
                into_tree!(load_users!(
                    self,
                    posts.then(comments),
                    "associations, joined twice"
                ))
            }
        }
    };
}

philtre_orm!(philtre_sqlite::SqliteConnection);
philtre_orm!(philtre_postgres::PgConnection);
philtre_orm!(philtre_mysql::MysqlConnection);
