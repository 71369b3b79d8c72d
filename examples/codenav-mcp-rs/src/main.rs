//! The codenav MCP server's Rust port (rmcp), for the parts already ported. Scan-only in the demo:
//! parity reads the `#[tool]` functions of the `#[tool_router]` impl to map them to the baseline's tools.
mod index;

use index::CodeIndex;
use rmcp::{
    handler::server::{router::tool::ToolRouter, wrapper::Parameters},
    model::{CallToolResult, Content, ErrorData as McpError, ServerCapabilities, ServerInfo},
    schemars, tool, tool_handler, tool_router, ServerHandler, ServiceExt,
};
use serde::Deserialize;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct SymbolArgs {
    /// The name to look up.
    pub symbol: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ReferencesArgs {
    /// The name to look for.
    pub symbol: String,
    /// At most this many (default 100).
    pub limit: Option<usize>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ListSymbolsArgs {
    /// Path relative to the tree, e.g. src/shapes.ts.
    pub file: String,
    /// Only symbols of this kind (`all` for every kind).
    pub kind: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct FileArgs {
    pub file: String,
}

#[derive(Clone)]
pub struct Codenav {
    index: std::sync::Arc<CodeIndex>,
    tool_router: ToolRouter<Self>,
}

fn json(value: serde_json::Value) -> Result<CallToolResult, McpError> {
    Ok(CallToolResult::success(vec![Content::text(value.to_string())]))
}

#[tool_router]
impl Codenav {
    pub fn new(root: &str) -> Self {
        Self { index: std::sync::Arc::new(CodeIndex::build(root)), tool_router: Self::tool_router() }
    }

    #[tool(description = "Where a symbol (function, class, interface, type, const or method) is declared: file and 1-based line.")]
    async fn find_definition(&self, Parameters(args): Parameters<SymbolArgs>) -> Result<CallToolResult, McpError> {
        match self.index.definition(&args.symbol) {
            Some(found) => json(serde_json::json!({ "name": found.name, "kind": found.kind, "file": found.file, "line": found.line - 1 })),
            None => Ok(CallToolResult::error(vec![Content::text(format!("no definition of {}", args.symbol))])),
        }
    }

    #[tool(description = "Every line where a symbol occurs as a whole word, across the tree.")]
    async fn find_references(&self, Parameters(args): Parameters<ReferencesArgs>) -> Result<CallToolResult, McpError> {
        let refs = self.index.references(&args.symbol);
        let limit = args.limit.unwrap_or(100).min(refs.len());
        json(serde_json::json!({ "symbol": args.symbol, "total": refs.len(), "references": &refs[..limit] }))
    }

    #[tool(description = "The symbols declared in one file, in order.")]
    async fn list_symbols(&self, Parameters(args): Parameters<ListSymbolsArgs>) -> Result<CallToolResult, McpError> {
        json(serde_json::to_value(self.index.symbols_in(&args.file, &args.kind)).unwrap_or_default())
    }
}

#[tool_handler]
impl ServerHandler for Codenav {
    fn get_info(&self) -> ServerInfo {
        ServerInfo {
            instructions: Some("Code navigation over a TypeScript source tree: definitions, references, symbols, text search.".into()),
            capabilities: ServerCapabilities::builder().enable_tools().build(),
            ..Default::default()
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::var("SAMPLE_ROOT").unwrap_or_else(|_| "../codenav-mcp/sample".into());
    let service = Codenav::new(&root).serve(rmcp::transport::stdio()).await?;
    service.waiting().await?;
    Ok(())
}
