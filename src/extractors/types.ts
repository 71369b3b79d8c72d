/**
 * The extractor contract: public, so that a team can load an extractor of its own for an
 * in-house framework (`parity scan --extractor ./my-extractor.js`).
 *
 * An extractor is a plain object. Its `extract()` is pure: it reads one parsed file and returns
 * facts (routes, mounts); it never touches the file system. Cross-file work (resolving imported
 * routers, prefixes mounted in another file, constants defined elsewhere) is done by `scan/` over
 * the facts of every file.
 */
import type { SgNode } from '@ast-grep/napi'
import type { LanguageFamily, LanguageId, ModuleInfo, PathExpr } from '../languages/types.js'
import type { DiagnosticLevel, EndpointKind, McpItem } from '../model/inventory.js'

export type { LanguageFamily, LanguageId, ModuleInfo, PathExpr, PathPart } from '../languages/types.js'

/** The dependencies declared by the manifest nearest to a file (package.json, Cargo.toml, go.mod, pyproject/requirements). */
export interface Manifest {
  family: LanguageFamily
  /** Manifest path relative to the root; null when no manifest of this family governs the file. */
  file: string | null
  /** Direct dependencies only: a framework pulled in transitively must not produce routes. */
  dependencies: ReadonlySet<string>
  /** Go: the module path from go.mod, used to resolve imports. */
  module?: string
  /** JS/TS: the `paths` aliases of the nearest tsconfig.json or jsconfig.json, targets relative to the root. */
  aliases?: PathAlias[]
  /** JS/TS: the packages of this tree by `name` (workspaces), each with its folder and its entry points (`.` -> `index.ts`). */
  workspace?: ReadonlyMap<string, WorkspacePackage>
}

/** A package.json of the scanned tree: imports of its name resolve to its files, not to node_modules. */
export interface WorkspacePackage {
  dir: string
  /** Sub-path (`.`, `./config`) -> file relative to `dir`, from `exports` or `main`. */
  entries: Record<string, string>
}

/** One tsconfig `paths` entry: `@server/*` -> `['server/*']`, resolved against `baseUrl`. */
export interface PathAlias {
  pattern: string
  targets: string[]
}

export interface ParsedFile {
  /** Path relative to the scanned root, `/` separators. */
  path: string
  language: LanguageId
  family: LanguageFamily
  source: string
  root: SgNode
  /** Import, export and constant tables of this file. */
  module: ModuleInfo
  /** The manifest nearest to the file (where a framework's project root is, e.g. Next.js's `app/`). */
  manifest?: Manifest
}

/**
 * An endpoint declared in this file. `path` is relative to its `owner`: the router, app, plugin
 * or function it is registered on; `scan/` prefixes it with every place that owner is mounted.
 */
export interface RouteFact {
  kind?: EndpointKind
  /** Upper-case methods; one item is produced per method. `WS` for WebSocket endpoints, `ALL` for every method. */
  methods: string[]
  path: PathExpr
  /**
   * A name for the router this route is registered on, local to the file: a variable
   * (`router`), a function whose router parameter receives it (`registerRoutes`), `default` for
   * an anonymous default-exported plugin. null or absent: the file's root, served at `/`.
   */
  owner?: string | null
  handler?: string
  line: number
  /** Defaults to the extractor's id. */
  framework?: string
  /**
   * Registered only when a parameter of the enclosing template has this value (`if persistable {`
   * inside `RX(r, path, c, persistable bool)`): a call that passes the other literal does not register it.
   */
  when?: { param: string; is: boolean }
  /** Registered on a value of unknown type (plausibly a router): a route only if its path begins with `/`. */
  untyped?: boolean
  /**
   * A class-based view (a Starlette `HTTPEndpoint`, an aiohttp `web.View`), by its name as written here
   * (`views.EpisodeView`): the route serves the verbs that class and its bases define, wherever they
   * are written (`FileFacts.views`); `methods` stands when parity cannot find the class.
   */
  view?: string
}

/** Where a mounted router comes from. */
export type SymbolRef =
  /** A name visible in the mounting file: a local router, or an imported one (resolved through the file's imports). */
  | { name: string; qualifier?: string }
  /** A module specifier and its export (`require('./users')` -> `{ module: './users', name: 'default' }`). */
  | { module: string; name: string }
  /** Every file under a directory relative to this file (`@fastify/autoload`): sub-folders add their names to the prefix. */
  | { dir: string }
  /**
   * Method `name` of the value a function returns (Go: `NewHandler(db).Routes`, `h := users.New(db); h.Register(api)`):
   * `receiverOf` is the function as written (`users.New`); `scan/` follows it to its declared result type.
   */
  | { name: string; receiverOf: string }
  /**
   * What a function receives as its parameter `param` at each of its calls (Go:
   * `func (s *Server) MountRouter(desc, path string, sub http.Handler) { r.Mount(path, sub) }`): `of`
   * is the function (`Server.MountRouter`). `scan/` reads the calls of `of` and mounts each value passed.
   */
  | { param: string; of: string }

/** `parent` mounts `child` under `prefix`: `app.use('/api', api)`, `.nest("/api", api())`, `include_router(r, prefix=...)`. */
export interface MountFact {
  parent?: string | null
  child: SymbolRef
  prefix: PathExpr
  line: number
  /** The prefix replaces the child router's own prefix instead of adding to it (Flask's `register_blueprint(bp, url_prefix=)`). */
  replacesPrefix?: boolean
  /**
   * The call's arguments, by position, when the child is a function: bound to its `params` so that
   * a path written with a parameter (`"/" + path`, `options.prefix + "x"`) takes each call's value.
   */
  args?: MountArg[]
  /** Arguments given by name (Python's `routes=[...]`), bound to the parameter of that name. */
  keywords?: Record<string, MountArg>
  /** The framework of the mounting router: a mount of a parameter (`{ param, of }`) serves whatever is passed under it. */
  framework?: string
}

/**
 * One argument of a call that mounts a function: a string-valued expression, an object literal's
 * string members, or a list of strings (each one instantiates the function once: `routes=["/a", "/b"]`).
 */
export type MountArg = PathExpr | { props: Record<string, PathExpr> } | { items: PathExpr[] }

/**
 * A call that hands values to a function that mounts one of its parameters, read in a second pass
 * for the functions that do (`a.MountRouter("API", "/api", CreateAPIRouter(ctx))`).
 */
export interface CallFact {
  callee: SymbolRef
  line: number
  /** Each argument as a path expression, bound to the callee's parameters (`path` -> "/api"). */
  args: MountArg[]
  /** Each argument as the routers it may stand for, by position: empty when parity can name none. */
  values: SymbolRef[][]
  /** Each argument as written, for messages. */
  texts: string[]
}

export interface FileFacts {
  routes: RouteFact[]
  mounts: MountFact[]
  /**
   * Router objects declared here (`express.Router()`); one never mounted anywhere is reported.
   * `prefix`: the router's own prefix (`APIRouter(prefix=)`, `Blueprint(url_prefix=)`), added
   * below every mount of it that does not replace it.
   */
  routers?: Array<{
    name: string
    line: number
    prefix?: PathExpr
    /** Serves only where it is mounted: mounted nowhere it adds nothing and is not reported (utoipa's `#[utoipa::path]` documents a handler until `routes!()` lists it). */
    mountedOnly?: boolean
  }>
  /**
   * Handler functions defined here that upgrade to a WebSocket or stream Server-Sent Events, by
   * name: a route with no `kind` whose `handler` has this name, in this file or (Go) another file
   * of the same package, takes this kind.
   */
  handlerKinds?: Record<string, EndpointKind>
  /**
   * Owners that ignore the prefix they are mounted under and serve in their parent's scope
   * (a plugin wrapped with `fastify-plugin`): the parent's own prefixes still apply.
   */
  passThrough?: string[]
  /** Database schema declared here: ORM models (table creations) or migration steps, in order. */
  schema?: SchemaFact[]
  /** Ports a server in this file listens on, when written literally or as a default (`listen(process.env.PORT ?? 8016)`). */
  listens?: Array<{ port: number; line: number }>
  /**
   * Framework-wide settings found in this file, read by `{ setting }` path parts anywhere:
   * a template where `{}` stands for the part's value (`nest.version` -> `/v{}`).
   */
  settings?: Record<string, string>
  /** MCP tools, resources and prompts registered here. */
  mcp?: McpFact[]
  /**
   * Classes written here whose methods answer HTTP verbs, by name: the verbs they define (upper
   * case) and their bases as written, read for the routes that name them (`RouteFact.view`).
   */
  views?: Record<string, { methods: string[]; bases: string[] }>
  /**
   * Parameter names, in order, of the functions here that are owners or mount others (`addHandler` ->
   * `['r', 'path', 'handle']`): a function whose routes use a parameter is a template, instantiated at
   * every call site with that call's `args`.
   */
  params?: Record<string, string[]>
}

/** An MCP tool, resource or prompt registered in code (`server.registerTool('x', ...)`, `@mcp.tool()`, `#[tool]`). */
export type McpFact = Pick<McpItem, 'kind' | 'name' | 'description' | 'inputSchema' | 'outputSchema' | 'annotations'> & {
  line: number
  /** Defaults to the extractor's id (`go-sdk` from the `mcp-go` extractor). */
  framework?: string
}

/** One step of a database schema: an ORM model is a `create-table` with its columns. */
export interface SchemaFact {
  op: 'create-table' | 'drop-table' | 'rename-table' | 'add-column' | 'drop-column' | 'alter-column' | 'rename-column'
  /** Table name as written (parity lower-cases it and drops a `public.` schema). */
  table: string
  /** For create-table: its columns; for add/alter-column: the one column. */
  columns?: Array<{ name: string; type: string; nullable: boolean; line: number }>
  /** For drop/rename-column: the column; for rename-*: the new name in `to`. */
  column?: string
  to?: string
  line: number
  /** `typeorm`, `prisma`, `sql`, `knex`, `django`... */
  origin: string
}

export interface ExtractContext {
  /** Report an unsupported or unresolvable form; the location defaults to the file. */
  diagnose(d: { level?: DiagnosticLevel; code: string; line?: number; message: string; known?: string }): void
  /** Evaluate a string-valued expression of this file's language into a path expression. */
  pathOf(node: SgNode): PathExpr
  /** 1-based line of a node. */
  lineOf(node: SgNode): number
}

export interface Extractor {
  /** Stable id, also the `framework` of the items it finds: `express`, `axum`, `fastapi`. */
  id: string
  family: LanguageFamily
  /** The framework's routing documentation. */
  docs?: string
  /**
   * What the extractor reports: `routes` (endpoints, mounts), `schema` (tables from ORM models or
   * migrations), `mcp` (MCP tools, resources, prompts), or several. Default `['routes']`; the route
   * conformance suite runs on route extractors.
   */
  provides?: Array<'routes' | 'schema' | 'mcp'>
  /** True when the nearest manifest declares the framework. A file with no manifest of its family is always tried. */
  detect(manifest: Manifest): boolean
  /**
   * Cheap pre-filter: the extractor sees a file only if its text contains one of these. A file no
   * extractor wants is not parsed at all (unless a route elsewhere refers to its constants or
   * exports), so precise needles make scans of large trees fast.
   */
  needles?: string[]
  /** Globs over the path relative to the root (`**\/app/**\/route.{ts,js}`): the extractor sees only matching files. */
  files?: string[]
  extract(file: ParsedFile, ctx: ExtractContext): Partial<FileFacts>
}

/** Identity helper that types an extractor object. */
export function defineExtractor(extractor: Extractor): Extractor {
  return extractor
}
