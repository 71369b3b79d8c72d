/**
 * The cut-over plan: which side each route of the last run goes to in a gateway in front of the
 * baseline and the candidate, and why. One plan, rendered by one renderer per gateway.
 */
import type { PairStatus } from '../model/run.js'

export const CUTOVER_FORMATS = ['nginx', 'caddy', 'envoy', 'traefik'] as const
export type CutoverFormat = (typeof CUTOVER_FORMATS)[number]

/** An upstream: a system's name and where the gateway reaches it. */
export interface Upstream {
  name: string
  /** `http://host:port`, without a path. */
  url: string
  /** `host:port`. */
  hostPort: string
}

/** One route of the plan, in match order (most specific first). */
export interface PlannedRoute {
  key: string
  /** Upper-case; `ALL` for a handler of every method (no method condition). */
  method: string
  /** The template, parameters as `{name}`. */
  path: string
  /** The pair's status in the chosen candidate. */
  status: PairStatus
  to: 'candidate' | 'baseline'
  /** With `to: candidate` and a canary: the percent of this route's requests sent to the candidate. */
  weight?: number
  /** Why it goes there, one line (rendered as a comment). */
  reason: string
  /** The force rule that sent it to the candidate, as written. */
  forced?: string
  /** A WebSocket route (matched as a GET with an upgrade). */
  websocket?: boolean
  /** The template as an anchored regular expression on the path (a `{param}` is one segment). */
  regex: string
}

/** A route the gateway syntax cannot express: left on the baseline (the default), with the reason. */
export interface UnexpressedRoute {
  key: string
  status: PairStatus
  reason: string
}

export interface CutoverPlan {
  /** The run the plan comes from. */
  run: { id?: string; startedAt: string }
  baseline: Upstream
  candidate: Upstream
  /** Percent of a moved route's requests sent to the candidate; absent: all of them. */
  canary?: number
  routes: PlannedRoute[]
  unexpressed: UnexpressedRoute[]
}

/** Where the gateway listens, and (for `--check`) the folder of its runtime files. */
export interface RenderOptions {
  /** Default 8080. */
  port?: number
  /** Write pid, logs and temp paths under this folder and run in the foreground (the check). */
  runtimeDir?: string
}
