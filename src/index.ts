// The public API of the parity package.
export { defineConfig, type ParityConfig } from './config/schema.js'
export { defineExtractor } from './extractors/types.js'
export type {
  Extractor,
  ExtractContext,
  FileFacts,
  Manifest,
  MountFact,
  ParsedFile,
  PathExpr,
  PathPart,
  RouteFact,
  SymbolRef,
} from './extractors/types.js'
export type { Diagnostic, Inventory, Item, ItemKind, SourceLocation } from './model/inventory.js'
export { normalizePath, routeKey } from './model/path.js'
export { scanPath, type ScanOptions } from './scan/scan.js'
