use axum::Router;

pub mod auth;
pub mod bookmarks;
pub mod tags;

pub fn api() -> Router {
    Router::new()
        .nest("/auth", auth::routes())
        .nest("/bookmarks", bookmarks::routes())
        .nest("/tags", tags::routes())
}
