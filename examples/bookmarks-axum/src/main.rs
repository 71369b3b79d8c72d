use axum::{routing::get, Extension, Json, Router};
use serde_json::json;
use sqlx::sqlite::SqlitePoolOptions;

mod routes;

const API: &str = "/api";

#[tokio::main]
async fn main() {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite::memory:".into());
    let pool = SqlitePoolOptions::new().connect(&url).await.unwrap();
    sqlx::migrate!("./migrations").run(&pool).await.unwrap();
    let app = Router::new()
        .route("/health", get(health))
        .nest(API, routes::api())
        .layer(Extension(pool));
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".into());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await.unwrap();
    axum::serve(listener, app).await.unwrap();
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "ok": true }))
}
