/** The static inventory of one codebase: what `parity scan` produces and every later stage keys on. */

export const INVENTORY_SCHEMA = 'parity.inventory/v1'

/** Endpoints found in HTTP frameworks' code. */
export type EndpointKind = 'route' | 'websocket' | 'sse'

/** What an MCP server offers: tools, resources (and resource templates), prompts. */
export type McpKind = 'mcp-tool' | 'mcp-resource' | 'mcp-prompt'

/** What an item is: an endpoint, an MCP tool/resource/prompt, a capability, a deployable service, a database table or column. */
export type ItemKind = EndpointKind | McpKind | 'capability' | 'service' | 'table' | 'column'

export interface SourceLocation {
  /** Path relative to the scanned root, with `/` separators. */
  file: string
  /** 1-based line. */
  line: number
}

interface ItemBase {
  kind: ItemKind
  /** Canonical key, equal across languages for the same thing: `GET /api/articles/{}`, `table users`. */
  key: string
  component: string
  source: SourceLocation
  /** In a tree of several services: the service the item belongs to (its source file's). */
  service?: string
}

/** An HTTP route, WebSocket or SSE endpoint. */
export interface EndpointItem extends ItemBase {
  kind: EndpointKind
  /** Upper-case HTTP method; `WS` for WebSocket endpoints, `ALL` for handlers of every method. */
  method: string
  /** The full path as served, parameters written `{name}`. */
  path: string
  framework: string
  handler?: string
  /**
   * Set when part of the path cannot be known statically (a prefix from configuration, a computed
   * segment): why. The path writes each unknown part `{?}` (`/{?}/articles/{id}`); the item stays in
   * the inventory and its figures, pairs with nothing by key, and is proposed as a near match to a
   * candidate route that ends with its known suffix.
   */
  unresolved?: string
  /**
   * Seen in the running system (`parity run`): `tap` when the framework registered it (the route
   * tap), `openapi` when the OpenAPI document the system serves lists it.
   */
  confirmed?: 'tap' | 'openapi'
  /** Set when recorded traffic completed a path the scan left partly unknown: the scan's path (with `{?}`). */
  resolvedFrom?: { path: string; by: 'traffic' }
}

/** What a backend does beyond its routes (Redis, JWT, an LLM SDK...), from the capability catalog. */
export interface CapabilityItem extends ItemBase {
  kind: 'capability'
  /** Catalog id (`redis`); the key is `capability redis`. */
  name: string
  /** The catalog's display name (`Redis / cache`). */
  label: string
  /** The catalog's group (`data`, `auth`, `ai`...). */
  category?: string
  /** One sentence saying what is lost when a candidate lacks it. */
  impact?: string
  /** The packages of the manifest that declare it. */
  packages: string[]
  /** Every import or call site that confirms it (`source` is the first). */
  evidence: SourceLocation[]
  /** How far the code goes with it (scan/capability-use.ts); absent in inventories saved before it was measured. */
  usage?: CapabilityUse
}

/**
 * How far a system goes with a capability: `used` (called on a path a route or job reaches),
 * `unreached` (called only in files no route, job or main reaches), `constructed` (a client is
 * built, never called), `imported` (imported or declared, nothing more). Only `used` ports a used
 * baseline capability.
 */
export type CapabilityUsage = 'used' | 'unreached' | 'constructed' | 'imported'

export interface CapabilityUse {
  level: CapabilityUsage
  /** The sites that show it: the reached calls, the unreached calls, the constructions or the imports. */
  at: SourceLocation[]
}

/** A deployable service of a monorepo. */
export interface ServiceItem extends ItemBase {
  kind: 'service'
  /** The key is `service <name>`. */
  name: string
  language: 'typescript' | 'javascript' | 'rust' | 'go' | 'python'
  framework?: string
  /** Folder of the service, relative to the root (`.` for the root itself). */
  root: string
  lines: number
  routes: number
  /** The port it listens on, when the code states it literally or as a default. */
  port?: number
}

/** A database table, from migrations, an ORM schema or a live database. */
export interface TableItem extends ItemBase {
  kind: 'table'
  /** As the database names it, case kept (`User`, `users`); the key is `table <name>` lower-cased, without schema `public.`. */
  name: string
  /** Where the definition comes from: `sql`, `prisma`, `typeorm`, `django`, `postgres`... */
  origin: string
  /** Its primary key's columns, when declared. */
  primaryKey?: string[]
  /** Set for a table no model declares that the ORM creates itself: why it exists (`Prisma implicit many-to-many of Article.tags and Tag.articles`). */
  implicit?: string
}

/** What a foreign key does when the row it references is deleted or its key updated. */
export type ForeignKeyAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT'

/** A column's foreign key: the table (and column) it references, and its actions (the schema's own defaults when not written). */
export interface ForeignKey {
  /** The referenced table's name, as its own item names it. */
  table: string
  /** The referenced column; absent when neither the key nor the referenced table's primary key names it. */
  column?: string
  onDelete: ForeignKeyAction
  onUpdate: ForeignKeyAction
  /** Where the key is declared (a Prisma relation field, a REFERENCES clause, an ALTER TABLE). */
  source: SourceLocation
}

/** A column of a table. */
export interface ColumnItem extends ItemBase {
  kind: 'column'
  /** The key is `column <table>.<name>`. */
  table: string
  name: string
  /** Normalised type family: `integer`, `bigint`, `text`, `varchar`, `boolean`, `timestamp`, `json`, `uuid`, `real`, `numeric`, `bytes`, `date`... */
  type: string
  /**
   * The database's own type, in one spelling with its length, precision and zone: `varchar(255)`,
   * `text`, `timestamp(3)`, `timestamptz`, `bigint` (a `BIGSERIAL` is a `bigint`). Absent when the
   * source only gives the family (some ORM models).
   */
  dbType?: string
  /** The type as the source writes it: `BIGSERIAL`, `String @db.VarChar(255)`, `Int`. */
  declared?: string
  nullable: boolean
  origin: string
  /** Its foreign key, when it has one. */
  references?: ForeignKey
}

/** An MCP tool, resource or prompt, registered in code or listed by a running server. */
export interface McpItem extends ItemBase {
  kind: McpKind
  /** Tool or prompt name, or resource URI (template); the key is `mcp-tool <name>`, `mcp-resource <uri>`, `mcp-prompt <name>`. */
  name: string
  description?: string
  /** JSON Schema of the arguments, when known (literal in code, or from `tools/list`). */
  inputSchema?: unknown
  /** JSON Schema of `structuredContent`, when declared. */
  outputSchema?: unknown
  /** Tool annotations (`readOnlyHint`...), when declared. */
  annotations?: Record<string, unknown>
  /** `mcp-ts`, `fastmcp`, `rmcp`, `mcp-go`, `go-sdk`, or `probe` for a live server. */
  framework: string
}

/**
 * A package of a monorepo that is no service (a UI, a library): it exposes nothing to pair, and is
 * noted so that a migration plan can say what becomes of it.
 */
export interface PackageNote {
  /** The manifest's name, without an npm scope (`web-ui`). */
  name: string
  /** Its folder, relative to the root. */
  root: string
  language: ServiceItem['language']
  /** `ui` when it depends on a front-end framework (React, Vue, Svelte...), else `library`. */
  kind: 'ui' | 'library'
  /** Its manifest. */
  source: SourceLocation
  files: number
  lines: number
  /** The front-end frameworks it depends on. */
  frameworks: string[]
  /** Services and packages of the tree whose manifest declares it as a dependency. */
  usedBy: string[]
}

/** One thing a system exposes. */
export type Item = EndpointItem | McpItem | CapabilityItem | ServiceItem | TableItem | ColumnItem

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
  /** In a tree of services: its packages that are no service (UIs, libraries). */
  packages?: PackageNote[]
  diagnostics: Diagnostic[]
  stats: ScanStats
}

export function isMcp(item: Item): item is McpItem {
  return item.kind === 'mcp-tool' || item.kind === 'mcp-resource' || item.kind === 'mcp-prompt'
}

export function isEndpoint(item: Item): item is EndpointItem {
  return item.kind === 'route' || item.kind === 'websocket' || item.kind === 'sse'
}

/** An endpoint whose full path is known: one that traffic, gateways and specs can be matched against. */
export function isResolvedEndpoint(item: Item): item is EndpointItem {
  return isEndpoint(item) && item.unresolved === undefined
}
