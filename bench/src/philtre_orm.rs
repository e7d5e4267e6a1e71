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

/// Users with their posts, loaded by `$posts` (`selectin` or `joined`).
macro_rules! users_posts {
    ($self:ident, $posts:ident, $what:literal) => {
        load_users!($self, children(posts::user_id).$posts::<Post>(), $what)
    };
}

/// Users → posts (by `$posts`) → comments (by `$comments`).
macro_rules! users_posts_comments {
    ($self:ident, $posts:ident, $comments:ident, $what:literal) => {{
        let posts = children(posts::user_id).$posts::<Post>();
        let comments = children(comments::post_id).$comments::<Comment>();
        load_users!($self, posts.then(comments), $what)
    }};
}

macro_rules! philtre_orm {
    ($conn:ty) => {
        impl OrmLoads for PhiltreOrm<$conn> {
            fn users_with_posts(&mut self) -> Vec<(User, Vec<Post>)> {
                with_posts!(users_posts!(self, selectin, "users with posts"))
            }
            fn associations(&mut self) -> UserTree {
                into_tree!(users_posts_comments!(
                    self,
                    selectin,
                    selectin,
                    "associations"
                ))
            }
            fn users_with_posts_joined(&mut self) -> Vec<(User, Vec<Post>)> {
                with_posts!(users_posts!(self, joined, "users with posts, joined"))
            }
            fn associations_joined(&mut self) -> UserTree {
                into_tree!(users_posts_comments!(
                    self,
                    joined,
                    selectin,
                    "associations, joined"
                ))
            }
            fn associations_joined_twice(&mut self) -> UserTree {
                into_tree!(users_posts_comments!(
                    self,
                    joined,
                    joined,
                    "associations, joined twice"
                ))
            }
            fn load_users_with_posts(&mut self) -> usize {
                users_posts!(self, selectin, "users with posts").len()
            }
            fn load_associations(&mut self) -> usize {
                users_posts_comments!(self, selectin, selectin, "associations").len()
            }
            fn load_users_with_posts_joined(&mut self) -> usize {
                users_posts!(self, joined, "users with posts, joined").len()
            }
            fn load_associations_joined(&mut self) -> usize {
                users_posts_comments!(self, joined, selectin, "associations, joined").len()
            }
            fn load_associations_joined_twice(&mut self) -> usize {
                users_posts_comments!(self, joined, joined, "associations, joined twice").len()
            }
        }
    };
}

philtre_orm!(philtre_sqlite::SqliteConnection);
philtre_orm!(philtre_postgres::PgConnection);
philtre_orm!(philtre_mysql::MysqlConnection);
