/**
 * The systems under test, as parity runs them: how to start one, when it is ready, how it is
 * stopped (with its whole process tree), and what it costs (RSS and CPU of the tree).
 */

/** How to tell that a started system is ready. Exactly one of `http`, `tcp`, `log`. */
import type { ResourceStats, StartupStats } from '../model/resources.js'

export type { ResourceStats, StartupStats }

export interface Readiness {
  /** A path that must answer 2xx (`/health`). */
  http?: string
  /** The port accepts a TCP connection. */
  tcp?: boolean
  /** A line of the system's output (stdout or stderr) matches this regular expression. */
  log?: string
}

/** How to run one system: resolved from the config (paths absolute, port chosen). */
export interface RunSpec {
  /** Name, for messages and the log file. */
  name: string
  /** argv (no shell), or one string run by `/bin/sh -c`. `{port}` in it is replaced by the port. */
  command: string[] | string
  /** Absolute working directory. */
  cwd: string
  /** Added to parity's environment; `PORT` is always set to `port`. `{port}` in values is replaced. */
  env?: Record<string, string>
  /** The port the system listens on (127.0.0.1). */
  port: number
  /** Base URL requests go to (default `http://127.0.0.1:<port>`). */
  url: string
  /** Default `{ tcp: true }`. */
  ready: Readiness
  /** Give up on readiness after this long (ms, default 30 000). */
  readyTimeoutMs?: number
  /** SIGTERM, then SIGKILL after this long (ms, default 3 000). */
  graceMs?: number
  /** Where the system's stdout and stderr go (appended). */
  logFile: string
}

/** How a process ended. */
export interface ExitInfo {
  code: number | null
  signal: string | null
}

/** A running system that parity started. */
export interface StartedSystem {
  name: string
  /** The process group leader (the spawned process). */
  pid: number
  url: string
  /** Spawn to ready, in ms (fractional). */
  readyMs: number
  logFile: string
  /** Resolves when the process exits by itself (a crash), with how; never rejects. */
  exited: Promise<ExitInfo>
  /** Whether it has exited. */
  readonly alive: boolean
  /** Stop the whole process group: SIGTERM, then SIGKILL after the grace period; resolves once every process of the tree is gone. Idempotent. */
  stop(): Promise<ExitInfo>
}

export interface ResourceSampler {
  /** Stop sampling; the figures since start (or since the last `mark`). */
  stop(): ResourceStats
  /** Figures since start (or since the previous mark), and start a new window. */
  mark(): ResourceStats
}
