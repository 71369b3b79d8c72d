/** `parity status`: what runs right now, system by system and service by service. */

/** How an entry was found: a configured system, a service the scan found with a port, an MCP server. */
export type StatusKind = 'system' | 'service' | 'mcp'

/**
 * `up`: it answered its readiness check; `down`: it did not (refused, timed out, or the readiness
 * path answered other than 2xx); `on-demand`: parity starts it on a free port when a stage needs it,
 * so there is nothing to check between runs; `unchecked`: named but not probed (an MCP server, a
 * system that is only scanned).
 */
export type StatusState = 'up' | 'down' | 'on-demand' | 'unchecked'

/** One system or service and how it answered. */
export interface SystemStatus {
  /** The system's name, or for a discovered service `<system>/<service>`. */
  name: string
  kind: StatusKind
  /** The configured system it belongs to. */
  system: string
  role: 'baseline' | 'candidate'
  /** Base URL checked. */
  url?: string
  port?: number
  state: StatusState
  /** `http` when an HTTP answer came back, `tcp` when only a connection was made. */
  check?: 'http' | 'tcp'
  /** Path of the HTTP readiness check (`/health`, or `/`). */
  path?: string
  /** HTTP status of the readiness check. */
  httpStatus?: number
  /** Time the readiness check took, ms (fractional). */
  responseMs?: number
  /** The version it reports. */
  version?: string
  /** Where the version came from: `x-version header`, `/health`, `/version`, `server header`. */
  versionFrom?: string
  /** `"<pid> <command>"` of the process listening on the port (a local port, Linux). */
  owner?: string
  /** Why it is down, or what stands in for a check. */
  note?: string
}

/** One round of checks. */
export interface StatusSnapshot {
  /** ISO 8601 time the checks started. */
  checkedAt: string
  entries: SystemStatus[]
}
