use axum::{routing::get, Json, Router};

pub fn routes() -> Router {
    Router::new().route("/", get(list))
}

async fn list() -> Json<Vec<String>> { Json(vec![]) }
