/** The static inventory of one codebase: what `parity scan` produces and every later stage keys on. */

export const INVENTORY_SCHEMA = 'parity.inventory/v1'

/** What an item is. `route`, `websocket` and `sse` come from HTTP frameworks. */
export type ItemKind = 'route' | 'websocket' | 'sse'

export interface SourceLocation {
  /** Path relative to the scanned root, with `/` separators. */
  file: string
  /** 1-based line. */
  line: number
}

/** One thing a system exposes. */
export interface Item {
  kind: ItemKind
  /** Upper-case HTTP method; `WS` for WebSocket endpoints, `ALL` for handlers of every method. */
  method: string
  /** The full path as served, parameters written `{name}`. */
  path: string
  /** Method plus path with parameter names blanked: equal across languages for the same endpoint. */
  key: string
  framework: string
  component: string
  handler?: string
  source: SourceLocation
}

export type DiagnosticLevel = 'error' | 'warn' | 'info'

/** Something the scan could not do or wants a person to know, always with its location. */
export interface Diagnostic {
  level: DiagnosticLevel
  /** Stable code: UNRESOLVED_PATH, PARSE_ERROR, NON_UTF8, READ_ERROR, SYMLINK_LOOP, ... */
  code: string
  file?: string
  line?: number
  message: string
  /** For UNRESOLVED_PATH: the part of the path that is known, unknown parts written `{?}`. */
  known?: string
}

export interface ScanStats {
  /** Source files considered (after ignore rules). */
  files: number
  /** Files parsed into a syntax tree. */
  parsed: number
  lines: number
  /** Files skipped, by reason (too-large, binary, minified, ignored-dir...). */
  skipped: Record<string, number>
}

export interface Inventory {
  schema: typeof INVENTORY_SCHEMA
  /** The scanned root as given, or the OpenAPI document path. */
  root: string
  frameworks: string[]
  items: Item[]
  diagnostics: Diagnostic[]
  stats: ScanStats
}
