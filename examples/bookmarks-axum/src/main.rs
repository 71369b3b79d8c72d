use axum::{routing::get, Json, Router};
use serde_json::json;

mod routes;

const API: &str = "/api";

#[tokio::main]
async fn main() {
    let app = Router::new()
        .route("/health", get(health))
        .nest(API, routes::api());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3001").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "ok": true }))
}
