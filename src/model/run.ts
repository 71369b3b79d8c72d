/**
 * RunResult: the one contract between the stages and every output (terminal, JSON, reports,
 * history). Versioned; its JSON Schema is schema/run.schema.json.
 */
import type { BenchComparison, BenchEntry, WsBenchEntry } from './bench.js'
import type { FeatureResult } from './features.js'
import type { McpBenchEntry, McpToolResult } from './mcp.js'
import type { Plan } from './plan.js'
import type { Scorecard } from './scorecard.js'
import type { StatusSnapshot } from './status.js'
import type { E2eTest, IgnoreRule, RouteEvidence } from './exchange.js'
import type { TypeCompatibility } from './column-type.js'
import type { CapabilityUse, Diagnostic, ForeignKey, Item, ItemKind, PackageNote, ScanStats } from './inventory.js'

export const RUN_SCHEMA = 'parity.run/v1'

/**
 * Status of a baseline item in a candidate: `missing`, `ported` (present, not yet exercised),
 * `excluded` (declared not to be ported); `extra` for candidate-only items. `verified` and
 * `divergent` come with dynamic evidence (replay, e2e).
 */
export type PairStatus = 'missing' | 'ported' | 'verified' | 'divergent' | 'excluded' | 'extra'

/**
 * `baseline`: the system being replaced; `candidate`: a rewrite of it; `peer`: a sister platform,
 * compared in the cross-platform matrix only (it ports nothing, has no ported figure, is never gated).
 */
export type SystemRole = 'baseline' | 'candidate' | 'peer'

export interface SystemResult {
  name: string
  role: SystemRole
  /** What was inventoried, as written in the config or on the command line. */
  source: string
  /** `tree`, `openapi` or `inventory` (a saved inventory JSON). */
  sourceKind: 'tree' | 'openapi' | 'inventory' | 'url'
  frameworks: string[]
  stats: ScanStats
  /** Counts of this system's items by kind (endpoints with a partly unknown path left out). */
  items: Partial<Record<ItemKind, number>>
  /** Endpoints whose path is partly unknown: in the inventory, never paired by key. */
  unresolved?: number
  /** In a tree of services: its packages that are no service (UIs, libraries), from the scan. */
  packages?: PackageNote[]
  diagnostics: Diagnostic[]
  /** The routes the running system registered or documented, against the scan's (`parity run`, systems with a `run` block). */
  runtime?: RuntimeInventory
}

/** What the running system showed of its routes, compared with its scan. */
export interface RuntimeInventory {
  /** How the routes were read: the route tap inside the process, the OpenAPI document it serves; empty when neither answered. */
  via: Array<'tap' | 'openapi'>
  /** The frameworks the tap saw register routes. */
  frameworks: string[]
  /** The OpenAPI document read, when one was. */
  openapi?: string
  /** Routes seen at run time. */
  routes: number
  /** Scan routes seen at run time. */
  confirmed: number
  /** Routes seen at run time that the scan did not find: scan misses. */
  scanMissed: Array<{ method: string; path: string; key: string; via: 'tap' | 'openapi'; framework?: string }>
  /** Scan routes (resolved ones) that the running system did not show: registered conditionally, or not routes at all. */
  notSeen: Array<{ key: string; source?: { file: string; line: number } }>
  /** Unresolved scan routes that a run-time route completes (`/{?}/articles/{id}` and `/api/articles/{id}`). */
  resolved: Array<{ from: string; to: string }>
  /** Why nothing or only part could be read (the system is not Node, it did not start, the tap could not attach). */
  notes: string[]
}

/** How a candidate item was found for a baseline item. */
/**
 * `sole-service`: the only service of each side (a system and its rewrite); `service-rename`: a
 * service whose port has another name (a language mark like `go-`, `-rs`, or most of its routes).
 */
/**
 * `naming`: a table or column named after another convention (`User` and `users`, `authorId` and
 * `author_id`); `join-table`: a join table paired by the two tables it references (Prisma's
 * `_ArticleToTag` and `article_tag`), and its columns by the table each references.
 */
export type MatchVia = 'key' | 'map' | 'any-method' | 'sole-service' | 'service-rename' | 'naming' | 'join-table'

/** A foreign key on either side of a column pair, compared: the candidate's target is the pair of the baseline's. */
export interface ForeignKeyComparison {
  baseline?: ForeignKey
  candidate?: ForeignKey
  sameTarget: boolean
  sameOnDelete: boolean
  sameOnUpdate: boolean
}

/** A baseline column and its candidate column compared: their database types, nullability and foreign keys. */
export interface ColumnComparison {
  /** The database types compared (`ColumnItem.dbType`, else its type family). */
  baselineType: string
  candidateType: string
  compatibility: TypeCompatibility
  /** Absent when both sides agree; `loosened`: the candidate accepts NULL where the baseline did not; `tightened`: the reverse. */
  nullable?: 'loosened' | 'tightened'
  /** Present when either side has a foreign key. */
  foreignKey?: ForeignKeyComparison
}

export interface CandidateCell {
  status: PairStatus
  candidate: Item | null
  via?: MatchVia
  /** The map rule that matched, as written. */
  rule?: string
  /** For a column present on both sides: how they compare. */
  column?: ColumnComparison
  /** A capability the candidate has but goes less far with than the baseline (constructed only...): why it is missing. */
  notPorted?: CapabilityUse
}

/** A baseline item and its counterpart (either may be absent). */
export interface Pair {
  kind: ItemKind
  key: string
  component: string
  /** The status in the first candidate (for an `extra` pair: in its own candidate). */
  status: PairStatus
  baseline: Item | null
  candidate: Item | null
  /** The candidate system `candidate` and `status` refer to. */
  candidateSystem: string
  via?: MatchVia
  rule?: string
  /** Why it is excluded (the exclude rule's reason). */
  reason?: string
  /** For a capability the candidate lacks: what is lost (from the catalog). */
  impact?: string
  /** For a column present on both sides (in the first candidate): how they compare. */
  column?: ColumnComparison
  /** For a capability missing in the first candidate that it has but goes less far with (constructed only...): its usage. */
  notPorted?: CapabilityUse
  /** With several candidates: the status in each, by candidate name. */
  matrix?: Record<string, CandidateCell>
}

/** A missing baseline item and an extra candidate item that may be the same thing renamed: for a person to confirm. */
export interface NearMiss {
  kind: ItemKind
  baseline: Item
  candidate: Item
  candidateSystem: string
  /** Why they look alike: `method changed GET -> POST`, `prefix /api/v1 -> /v2`, `user -> users`. */
  reason: string
  /** A ready map rule that would pair them. */
  suggestion: { from: string; to: string }
}

export interface Counts {
  ported: number
  missing: number
  extra: number
  excluded: number
  /** Verified and divergent appear once evidence exists. */
  verified: number
  divergent: number
}

/** A candidate's (or a component's) migration status from its figures (assess/status.ts). */
export type MigrationStatus = 'complete' | 'partial' | 'not-started' | 'excluded' | 'empty'

/**
 * How serious what a candidate still lacks is (assess/gap.ts), the most severe first: `critical` when a
 * whole capability, WebSocket or SSE endpoint, service or table is missing, `high` below 50% ported or
 * with divergent items, `medium` below 90%, `low` from 90%, `none` when complete. Not the plan's
 * priority (`PlanEntry.priority`: what to port next).
 */
export type GapSeverity = 'critical' | 'high' | 'medium' | 'low' | 'none'

export interface Summary extends Counts {
  /** Baseline items not excluded (columns not counted: they follow their tables). */
  total: number
  /** (ported + verified + divergent) / total, in percent, one decimal. */
  percent: number
  /** verified / total, in percent, one decimal (assess/verified.ts); absent in runs stored before it. */
  verifiedPercent?: number
  /** What the figures make of it, by one rule for every reader; absent in runs stored before it. */
  status?: MigrationStatus
  /** How serious what is missing is, by one rule for every reader; absent in runs stored before it. */
  gapSeverity?: GapSeverity
  /**
   * Baseline endpoints whose path is partly unknown, counted in `total` (and as missing unless a map
   * rule pairs them): while any exist, on either side, `percent` is a lower bound.
   */
  unresolved?: number
  byKind: Partial<Record<ItemKind, Counts>>
  /**
   * Replayed routes whose every difference is a likely consequence of an earlier refused write (accepted by one side only)
   * (RouteEvidence status `consequence`): not counted in `divergent`, their pairs left as they were.
   */
  consequences?: number
}

export interface ComponentSummary {
  name: string
  /** By candidate name. */
  candidates: Record<string, Summary & { missingKeys: string[] }>
  /** The most severe gap over the candidates; absent in runs stored before it. */
  gapSeverity?: GapSeverity
}

/** How far a baseline service is in one candidate: `migrated` when its port has every one of its endpoints. */
export type ServiceStatus = 'migrated' | 'partly' | 'not-started'

/** A baseline service in one candidate: its port there (a service of the candidate), and how much of it is ported. */
export interface ServicePort {
  status: ServiceStatus
  /** The candidate's service that ports it, with its language and port; absent when not started. */
  service?: string
  language?: string
  port?: number
  /** Baseline endpoints of the service (not excluded) present in the port, of them all. */
  ported: number
  /** Of those, verified by replay or the end-to-end suite. */
  verified: number
  of: number
  /** ported / of in percent, one decimal (100 when the service has no endpoint and has a port). */
  percent: number
  /** Throughput and memory of the port when the bench measured it (assess/service-bench.ts). */
  bench?: ServiceBench
}

/**
 * What the bench measured of one service: the median requests per second over the scenarios that
 * hit its endpoints, and the RSS of its system's process tree when that system is this one service
 * (a system of several services shares one RSS: not shown per service).
 */
export interface ServiceBench {
  rps: number
  /** The scenarios the figure rests on. */
  scenarios: string[]
  rssMb?: number
}

/** One baseline service and its port in each candidate. */
export interface ServiceRow {
  service: string
  language: string
  port?: number
  /** By candidate system name. */
  candidates: Record<string, ServicePort>
  /** The baseline service's own bench figures. */
  bench?: ServiceBench
}

/** Services migrated per language of the ports, over every candidate: "Rust 2 + Go 3 of 15 services". */
export interface ServiceLanguageFigure {
  language: string
  /** Baseline services with a port in this language (migrated or partly). */
  withPort: number
  migrated: number
  partly: number
  /** Baseline endpoints ported (and verified) by a candidate in this language, of every baseline endpoint. */
  endpoints: { ported: number; verified: number; of: number; percent: number }
}

/** What a service's port needs to count as migrated (config `services.migrated`). */
export interface MigratedRule {
  /** Share of the service's endpoints present in its port, 0..1 (default 1: every one). */
  ported: number
  /** Share of them verified by replay or the end-to-end suite, 0..1 (default 0). */
  verified: number
  /** The rule in words: `every endpoint in the port`. */
  text: string
}

/** One candidate's endpoints over the baseline's, and inside the services it ports. */
export interface CandidateEndpoints {
  /** The language of the candidate's services, when they share one. */
  language?: string
  /** Baseline endpoints present in this candidate (ported, verified or divergent), of every baseline endpoint not excluded. */
  ported: number
  verified: number
  of: number
  percent: number
  /** The same inside the baseline services that have a port in this candidate. */
  inPorted: { services: number; ported: number; of: number; percent: number; missing: number }
  /** Candidate endpoints that port no baseline endpoint. */
  extra: number
}

export interface ServiceMigration {
  /** Baseline services. */
  total: number
  /** By baseline port, then name. */
  rows: ServiceRow[]
  /** Fewest ports first. */
  byLanguage: ServiceLanguageFigure[]
  /** Baseline services with a port in no candidate. */
  notStarted: number
  /** `Rust 2 + Go 3 of 15 services`. */
  headline: string
  /** What `migrated` required; absent in runs stored before it (then: every endpoint). */
  rule?: MigratedRule
  /** By candidate name; absent in runs stored before it. */
  endpoints?: Record<string, CandidateEndpoints>
  /** Baseline endpoints present in at least one candidate. */
  combined?: { ported: number; of: number; percent: number }
  /** `Routes` when every endpoint is an HTTP route, else `Endpoints`: how the figures name what they count. */
  endpointWord?: 'Routes' | 'Endpoints'
}

/** One item of the cross-platform matrix: a baseline item (with its ports), or an item of the same key in the other systems. */
export interface PlatformRow {
  kind: ItemKind
  /** The canonical key (`GET /api/products/{}`, `service shop-api`). */
  key: string
  /** As the code writes it (`GET /api/products/{id}`): the baseline's form when the baseline has it. */
  display: string
  component: string
  /** The systems that have it, in the order of `PlatformMatrix.systems`. */
  in: string[]
  /** By system that has it: how many of its items are this one (a monorepo's many `GET /health`). */
  count: Record<string, number>
  /** By candidate: the names of its items that port this one under another key (`shop-rs` for the service `shop-api`). */
  as?: Record<string, string[]>
}

/**
 * Which system has which item, over the baseline, the candidates and the peers (three systems or more,
 * or any peer). A candidate has a baseline item when it ports it (service by service, as the pairs say);
 * the rest (its extras, and every item of a peer) is placed by key. Columns are left out: they follow
 * their tables.
 */
export interface PlatformMatrix {
  systems: Array<{ name: string; role: SystemRole }>
  rows: PlatformRow[]
  /** Rows every system has. */
  shared: number
  /** By system: rows only it has. */
  only: Record<string, number>
  /** The baseline's rows, and how many of them every other system has too (`percent` of them, one decimal). */
  baseline: { rows: number; shared: number; percent: number }
  /** By system other than the baseline: how many of the baseline's rows it has too (a fact, not a coverage). */
  withBaseline: Record<string, number>
}

/** The database schema of one candidate against the baseline's, in figures (assess/schema.ts). */
export interface SchemaFigures {
  tables: {
    baseline: number
    candidate: number
    paired: number
    /** Paired under another naming convention (`User` and `users`). */
    byNaming: number
    /** Join tables paired by the tables they reference. */
    byJoinTable: number
    missing: number
    extra: number
  }
  columns: { baseline: number; candidate: number; paired: number; missing: number; extra: number } & Record<TypeCompatibility, number>
  nullable: { paired: number; differing: number }
  foreignKeys: {
    baseline: number
    candidate: number
    /** Column pairs where both sides have a foreign key. */
    paired: number
    sameTarget: number
    sameOnDelete: number
    sameOnUpdate: number
    /** Baseline foreign keys without one on the candidate's column (or without the column). */
    missing: number
  }
}

export interface RunResult {
  schema: typeof RUN_SCHEMA
  tool: { name: 'parity'; version: string }
  startedAt: string
  /** The config file, when the run came from one. */
  config?: string
  systems: SystemResult[]
  pairs: Pair[]
  nearMisses: NearMiss[]
  components: ComponentSummary[]
  /** For the first candidate. */
  summary: Summary
  /** By candidate name. */
  candidates: Record<string, Summary>
  /** The most severe gap over the candidates (each one's is `candidates[name].gapSeverity`); absent in runs stored before it. */
  gapSeverity?: GapSeverity
  /** The database schema of each candidate against the baseline's, by candidate name, when the baseline has tables. */
  database?: Record<string, SchemaFigures>
  /** Service by service, when the baseline has services (assess/services.ts): each one's port in each candidate, and the headline. */
  services?: ServiceMigration
  /** Which system has which item, with three systems or more or any peer (match/platforms.ts). */
  platforms?: PlatformMatrix
  /** Problems of the run itself: map or exclude rules that matched nothing, databases that did not answer. */
  diagnostics: Diagnostic[]
  /** Set by `parity run`: the id under which the history store keeps it. */
  id?: string
  /** The git commit and branch of the working tree, when there is one. */
  git?: { commit?: string; branch?: string }
  /** Set by `parity run` (gates, findings, verdict). */
  assessment?: Assessment
  /** Behavioural evidence per route from `parity replay` (the first candidate's). */
  routes?: RouteEvidence[]
  /** Ignore rules learned from two baseline answers, proposed for the config. */
  noise?: IgnoreRule[]
  /** The old end-to-end suite against both sides (`parity e2e`). */
  tests?: E2eTest[]
  /** Figures per system and scenario (`parity bench`, or the bench stage of `parity run`). */
  bench?: BenchEntry[]
  /** Candidate over baseline per scenario, with how sure the trials make it. */
  benchComparisons?: BenchComparison[]
  /** WebSocket fan-out per system (`parity bench --ws`, or the config's `bench.websocket`). */
  wsBench?: WsBenchEntry[]
  /** MCP: the tool checklist of the first candidate against the baseline (`parity mcp`). */
  tools?: McpToolResult[]
  /** MCP: what each server said in `initialize`, by system name. */
  mcpServers?: Record<
    string,
    { serverInfo: { name: string; version: string }; protocolVersion: string; instructions?: string; pages: number; initializeMs: number }
  >
  /** MCP: per tool latency of each server. */
  mcpBench?: McpBenchEntry[]
  /** What to port next (`parity plan`). */
  plan?: Plan
  /** Feature checklists: each configured feature's status per candidate (`parity features`). */
  features?: FeatureResult[]
  /** Features parity proposes from routes sharing a prefix and file, and capabilities with their call sites. */
  featureProposals?: FeatureResult[]
  /** Quality figures per system (coverage, type coverage, vulnerabilities, API docs, bundle size). */
  scorecards?: Scorecard[]
  /** The last `parity status`: each system and service up or down, its response time, version and port owner. */
  status?: StatusSnapshot
}

/** A reason to look: a baseline item missing or divergent, a regression, a missing capability or table. */
export interface Finding {
  /** Stable across runs and unrelated edits: `<type>:<kind>:<key>[@candidate]`, hashed to 16 hex digits. */
  fingerprint: string
  type: 'missing' | 'divergent' | 'regression' | 'missing-capability' | 'missing-table'
  kind: ItemKind
  key: string
  candidate: string
  message: string
  source?: { file: string; line: number }
  /** Set when the config's `accepted` ledger lists this fingerprint. */
  accepted?: { reason: string }
}

/** One gate of the config, evaluated on this run. */
export interface GateResult {
  /** As written in the config: `ported >= 0.9`, `noRegression`. */
  gate: string
  passed: boolean
  /** The measured value (a ratio 0..1 or a count); null when it cannot be measured yet (no evidence). */
  actual: number | null
  /** `actual` in the gate's own terms, as every reader shows it: `0.43x`, `87.5%`, `588 ms`, `212 MiB`. */
  display?: string
  message: string
  /** Fingerprints of the findings that make it fail. */
  findings: string[]
  /** Set when this gate is one of the config's `objectives`: its name. */
  objective?: string
  /** The objective's `why`, when written. */
  why?: string
}

export interface Verdict {
  /** True when every gate passes (and at least one gate is configured). */
  productionReady: boolean
  failed: string[]
  /** Ledger entries that no longer match any finding. */
  staleAcceptances: string[]
}

/** Assessment added by `parity run`: gates, findings and the verdict. */
export interface Assessment {
  findings: Finding[]
  gates: GateResult[]
  verdict: Verdict
}
