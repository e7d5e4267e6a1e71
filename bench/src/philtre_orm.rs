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
}

macro_rules! philtre_orm {
    ($conn:ty) => {
        impl OrmLoads for PhiltreOrm<$conn> {
            fn users_with_posts(&mut self) -> Vec<(User, Vec<Post>)> {
                let posts = children(posts::user_id);
                users::table
                    .select(User::as_select())
                    .load_with::<User>(posts.selectin::<Post>(), &mut self.0)
                    .expect("users with posts")
                    .into_iter()
                    .map(|user| {
                        let (user, posts) = user.into_parts();
                        (user, posts.into_inner())
                    })
                    .collect()
            }
            fn associations(&mut self) -> UserTree {
                let posts = children(posts::user_id);
                let comments = children(comments::post_id);
                users::table
                    .select(User::as_select())
                    .load_with::<User>(
                        posts
                            .selectin::<Post>()
                            .then(comments.selectin::<Comment>()),
                        &mut self.0,
                    )
                    .expect("associations")
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
            }
        }
    };
}

philtre_orm!(philtre_sqlite::SqliteConnection);
philtre_orm!(philtre_postgres::PgConnection);
philtre_orm!(philtre_mysql::MysqlConnection);
