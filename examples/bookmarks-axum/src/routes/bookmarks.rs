use axum::{extract::Path, routing::{get, post}, Json, Router};

pub fn routes() -> Router {
    Router::new()
        .route("/", get(list).post(create))
        .route("/bulk", post(bulk_create))
        .route("/export", get(export))
        .route("/{id}", get(show).put(update).delete(remove))
}

async fn list() -> Json<Vec<()>> { Json(vec![]) }
async fn create() -> Json<()> { Json(()) }
async fn bulk_create() -> Json<()> { Json(()) }
async fn export() -> Json<Vec<()>> { Json(vec![]) }
async fn show(Path(_id): Path<String>) -> Json<()> { Json(()) }
async fn update(Path(_id): Path<String>) -> Json<()> { Json(()) }
async fn remove(Path(_id): Path<String>) {}
