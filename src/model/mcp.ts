/**
 * MCP server parity: what a live server says about itself (probe), how two servers' tools differ
 * (schemas, descriptions, results of scripted calls), and how fast each answers. Lands in the
 * RunResult as `tools` (the checklist), `mcpServers` and `mcpBench`.
 */
import type { LatencySummary } from './bench.js'
import type { McpItem } from './inventory.js'
import type { ResourceStats, StartupStats } from './resources.js'

/** How to reach an MCP server: a command over stdio (through the shell when a string), or Streamable HTTP (WebSocket for a `ws://` URL). */
export type McpTransportSpec =
  | { type: 'stdio'; command: string | string[]; cwd?: string; env?: Record<string, string> }
  | { type: 'http'; url: string; headers?: Record<string, string> }

/** What `initialize` and the list calls returned. */
export interface McpProbe {
  serverInfo: { name: string; version: string }
  protocolVersion: string
  capabilities: Record<string, unknown>
  instructions?: string
  /** Tools, resources (and templates) and prompts as items (`framework: 'probe'`). */
  items: McpItem[]
  /** Pages followed for `tools/list` (1 when unpaginated). */
  pages: number
  /** Spawn (or connect) to a completed `initialize`, ms. */
  initializeMs: number
  /** Problems: malformed schemas (compared as text), a list call that failed. */
  diagnostics: Array<{ level: 'error' | 'warn' | 'info'; code: string; message: string }>
  /** Tools the official SDK client refuses to list (a schema it rejects), by name, with its reason. */
  clientRejects?: Record<string, string>
}

/** One change of a tool between baseline and candidate. */
export interface McpChange {
  kind: 'description' | 'input-schema' | 'output-schema' | 'annotations' | 'result'
  /** A client written for the baseline may break: a new required property, a removed property, a narrowed type or enum, a different result. */
  breaking: boolean
  /** One sentence: `argument \`path\` is now required`, `result /content/0/text differs: ...`. */
  detail: string
  /** JSON Pointer into the schema or result, when there is one. */
  pointer?: string
}

/** A tool (or resource, prompt) in the checklist. */
export interface McpToolResult {
  name: string
  /** `mcp-tool` unless a resource or prompt. */
  kind: McpItem['kind']
  /** ported: present, schemas compatible, not called; verified: calls equivalent; divergent: a breaking change or a call that differs. */
  status: 'ported' | 'missing' | 'extra' | 'divergent' | 'verified'
  changes: McpChange[]
  /** Scripted calls made to it, and how many were equivalent. */
  calls?: { total: number; equivalent: number }
}

/** A scripted call, from a calls file (YAML or JSON: a list of these). */
export interface McpCall {
  tool: string
  arguments?: Record<string, unknown>
  /** Optional expectations checked on the baseline's answer. */
  expect?: { isError?: boolean; text?: string }
  /** Per call (ms, default 10 000). */
  timeoutMs?: number
}

/** Per tool latency of one server under a concurrency level. */
export interface McpBenchEntry {
  system: string
  role: 'baseline' | 'candidate'
  tool: string
  concurrency: number
  calls: number
  callsPerSecond: number
  latency: LatencySummary
  errors: number
  resources?: ResourceStats
  /** Spawn to a completed `initialize`, over N starts. */
  startup?: StartupStats
}
