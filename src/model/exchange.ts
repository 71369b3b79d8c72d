/**
 * Behavioural parity: the data that flows from a corpus (recorded traffic, HAR, scenarios) through
 * replay against both systems to the diff and the per-route evidence in the RunResult.
 */

/** A body as stored: text when it is valid UTF-8, else base64; past the size limit only its hash. */
export interface Body {
  /** The body as text (UTF-8). */
  text?: string
  /** The body as base64, when it is not text. */
  base64?: string
  /** Size in bytes of the whole body. */
  size: number
  /** sha256 hex of the whole body, set when the body was too large to keep (then no text/base64). */
  sha256?: string
  /** The recording left the bytes out (a HAR exported without content, an upload's file): it cannot be sent. */
  omitted?: boolean
}

/** Header names lower-cased; order and repeats kept. */
export type Headers = Array<[name: string, value: string]>

export interface RecordedRequest {
  method: string
  /** Path and query as sent: `/api/bookmarks?tag=x`. */
  url: string
  headers: Headers
  body?: Body
}

export interface RecordedResponse {
  status: number
  headers: Headers
  body?: Body
}

export interface WsMessage {
  /** `out`: client to server; `in`: server to client. */
  dir: 'in' | 'out'
  type: 'text' | 'binary'
  /** Text, or base64 for binary. */
  data: string
  /** Milliseconds since the socket opened. */
  at?: number
}

/** One request and the answer recorded for it (absent for hand-written scenario steps). */
export interface Exchange {
  id: string
  /** Exchanges of one session are replayed in order, sessions side by side. */
  session: string
  seq: number
  /** The host the request was recorded against (`api.example.com:443`); other hosts are skipped. */
  host?: string
  startedAt?: string
  request: RecordedRequest
  response?: RecordedResponse
  /** A WebSocket session: the messages exchanged after the upgrade. */
  ws?: WsMessage[]
  /** Scenario steps: values to capture from the response, by name (JSON Pointer `/id` or `header:location`). */
  capture?: Record<string, string>
  /** Scenario steps: what the answer must hold. */
  expect?: { status?: number; body?: unknown }
  /** Do not replay this mutating request (opt-out per route). */
  skipReplay?: boolean
}

export interface Corpus {
  format: 'har' | 'ndjson' | 'scenario'
  source: string
  exchanges: Exchange[]
  /** Entries for hosts other than the recorded service: skipped and counted, never sent. */
  skipped: Array<{ host: string; count: number }>
  /** The host taken as the recorded service. */
  origin?: string
}

/** What one target answered when an exchange was replayed; a failure is data, not an exception. */
export interface TargetResponse {
  status: number
  headers: Headers
  body?: Body
  durationMs: number
  error?: { code: 'timeout' | 'refused' | 'reset' | 'not-sent' | 'other'; message: string }
  ws?: WsMessage[]
}

export interface ReplayedExchange {
  exchange: Exchange
  /** The request as actually sent to each target after correlation (ids, tokens replaced). */
  sent: { baseline: RecordedRequest; candidate: RecordedRequest }
  baseline: TargetResponse
  /** The second baseline answer (a second instance, or the same after a reset): noise is where they differ. */
  baseline2?: TargetResponse
  candidate: TargetResponse
}

/** One difference between the baseline's and the candidate's answers. */
export interface Difference {
  where: 'status' | 'header' | 'body' | 'ws' | 'error'
  /** JSON Pointer into the body (`/tags/0`), the header name, or `` for the whole. */
  pointer: string
  kind: 'missing' | 'extra' | 'type' | 'value' | 'order'
  baseline: unknown
  candidate: unknown
  /** What the difference means to a client, in words (CORS refused, compression lost, a noise rule that would have hidden it). */
  note?: string
}

/** An ignore rule learned from two baseline answers, or written in the config. */
export interface IgnoreRule {
  /** Route key (`GET /api/bookmarks/{}`) or `*`. */
  route: string
  where: 'header' | 'body'
  /** JSON Pointer; a `*` segment matches any one array index or key (as in /items/<*>/createdAt). */
  pointer: string
  reason: string
  /** How many exchanges showed it (learned rules). */
  evidence?: number
  /** How many replayed exchanges it silenced: a difference between baseline and candidate it ignored. */
  silenced?: number
}

export type ExchangeOutcome = 'equal' | 'different' | 'unproven' | 'error'

export interface ExchangeVerdict {
  outcome: ExchangeOutcome
  differences: Difference[]
  /** Normalisers that changed something (`number-format`, `key-order`, `null-vs-absent`...). */
  normalized: string[]
  /** Pointers ignored as noise. */
  ignored: string[]
}

/**
 * What a request looked like, for grouping a route's differences: the sorted names of its query
 * parameters and its body's shape (top-level JSON keys, else the content type): `?page,sort`,
 * `{name,tags}`, `text/csv`; `-` for neither.
 */
export type RequestShape = string

/** A divergent exchange kept as an example, with its id in the corpus. */
export interface ExampleExchange {
  /** The exchange id in the corpus. */
  id: string
  request: RecordedRequest
  baseline: TargetResponse
  candidate: TargetResponse
}

/**
 * Where a likely consequence comes from: an earlier write of the same session that one side accepted
 * (2xx) and the other refused, on data this exchange reads.
 */
export interface ConsequenceCause {
  /** The cause's exchange id in the corpus. */
  exchange: string
  /** The cause's route key (`POST /items`). */
  route: string
  /** The cause's request line as recorded (`POST /items`). */
  request: string
  /** What ties the two: `path /items`, `id 42`. */
  via: string
}

/** A route's differences for one shape of request: each distinct difference with the exchange that showed it first. */
export interface DifferenceGroup {
  shape: RequestShape
  /** Exchanges of this shape that differed. */
  exchanges: number
  /** Distinct differences (by where, pointer and kind), each with `exchange`, the id of the first exchange that showed it. */
  differences: Array<Difference & { exchange: string }>
  /** The exchanges the differences name, kept as examples (at most five per group; a difference whose exchange is not here names it only). */
  examples: ExampleExchange[]
  /** Set when every exchange of the group follows an earlier refused write (accepted by one side only) on the same data: a likely consequence of it, not a cause. */
  cause?: ConsequenceCause
}

/** Evidence for one route template: the RunResult's `routes`. */
export interface RouteEvidence {
  method: string
  path: string
  key: string
  /**
   * `missing`: the candidate answered 404 or 405 to every exchange the baseline served: it does not
   * serve the route (even after a refused write, since such a route cannot be told from one not there). `consequence`: every difference
   * follows an earlier refused write (accepted by one side only) of its session on the same data (see `groups[].cause`), so the
   * route is not counted as divergent on its own.
   */
  status: 'verified' | 'divergent' | 'missing' | 'consequence' | 'unproven' | 'unexercised'
  exchanges: number
  /** Distinct differences (by where, pointer and kind), with the first values seen. */
  differences: Difference[]
  /** One minimal example pair for a divergent route. */
  example?: { request: RecordedRequest; baseline: TargetResponse; candidate: TargetResponse }
  /** The differences by shape of request, root causes first, likely consequences after; absent in runs stored before it. */
  groups?: DifferenceGroup[]
  /** Exchanges of this route that differed only as likely consequences of an earlier refused write (accepted by one side only). */
  consequences?: number
}

/**
 * What one test says about the candidate: `regression` (passes on the baseline, fails on the
 * candidate), `missing` (passes on the baseline, never ran on the candidate), `fixed`, `fail-both`,
 * `skipped` (skipped on either side), `new` (only on the candidate), `pass-both`.
 */
export type E2eOutcome = 'pass-both' | 'regression' | 'missing' | 'fixed' | 'fail-both' | 'skipped' | 'new'

/** One test of the old end-to-end suite, run against both sides. */
export interface E2eTest {
  name: string
  baseline: 'pass' | 'fail' | 'skip' | 'absent'
  candidate: 'pass' | 'fail' | 'skip' | 'absent'
  /** Set by the e2e stage (assess/e2e.ts): every reader shows this, none re-derives it. Absent in runs stored before it. */
  outcome?: E2eOutcome
}
