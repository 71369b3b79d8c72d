use axum::{routing::{get, post}, Json, Router};

pub fn routes() -> Router {
    Router::new()
        .route("/register", post(register))
        .route("/login", post(login))
        .route("/me", get(me))
        .route("/signout", post(signout))
}

async fn register() -> Json<()> { Json(()) }
async fn login() -> Json<()> { Json(()) }
async fn me() -> Json<()> { Json(()) }
async fn signout() {}
