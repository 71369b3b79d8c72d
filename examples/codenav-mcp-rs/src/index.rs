//! The index built at start: symbols and whole-word references of the sample tree.
use serde::Serialize;
use std::collections::HashMap;

#[derive(Clone, Serialize)]
pub struct Symbol {
    pub name: String,
    pub kind: String,
    pub file: String,
    pub line: usize,
}

#[derive(Clone, Serialize)]
pub struct Reference {
    pub file: String,
    pub line: usize,
    pub text: String,
}

#[derive(Default)]
pub struct CodeIndex {
    symbols: Vec<Symbol>,
    references: HashMap<String, Vec<Reference>>,
}

impl CodeIndex {
    pub fn build(root: &str) -> Self {
        let mut index = CodeIndex::default();
        let mut files: Vec<_> = walk(std::path::Path::new(root));
        files.sort();
        for path in files {
            let file = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().trim_start_matches('/').to_string();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                let trimmed = line.trim_start_matches("export ");
                for kind in ["function", "class", "interface", "type", "const"] {
                    if let Some(rest) = trimmed.strip_prefix(kind).and_then(|r| r.strip_prefix(' ')) {
                        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$').collect();
                        index.symbols.push(Symbol { name, kind: kind.into(), file: file.clone(), line: i + 1 });
                    }
                }
                let mut seen = std::collections::HashSet::new();
                for word in line.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).filter(|w| !w.is_empty()) {
                    if seen.insert(word) {
                        index.references.entry(word.to_string()).or_default().push(Reference { file: file.clone(), line: i + 1, text: line.trim().into() });
                    }
                }
            }
        }
        index
    }

    pub fn definition(&self, name: &str) -> Option<&Symbol> {
        self.symbols.iter().find(|s| s.name == name)
    }

    pub fn references(&self, name: &str) -> &[Reference] {
        self.references.get(name).map(|v| v.as_slice()).unwrap_or(&[])
    }

    pub fn symbols_in(&self, file: &str, kind: &str) -> Vec<&Symbol> {
        self.symbols.iter().filter(|s| s.file == file && (kind == "all" || s.kind == kind)).collect()
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "ts") {
            out.push(path);
        }
    }
    out
}
