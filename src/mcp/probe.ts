/**
 * What a live MCP server says about itself: `initialize`, then `tools/list` (every page),
 * `resources/list`, `resources/templates/list` and `prompts/list` when its capabilities offer them.
 * Requests are sent raw (the SDK's typed helpers reject a malformed schema, which we report instead).
 */
import { z } from 'zod'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { ToolSchema } from '@modelcontextprotocol/sdk/types.js'
import type { McpItem, McpKind } from '../model/inventory.js'
import type { McpConnection } from './client.js'
import type { McpProbe } from '../model/mcp.js'
import { plural } from '../model/words.js'

const maxPages = 1000
const page = z.object({ nextCursor: z.string().optional() }).passthrough()

type Diagnostic = McpProbe['diagnostics'][number]

/** Why a JSON Schema an MCP server listed is malformed, or undefined when it is usable. */
export function schemaProblem(schema: unknown): string | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return `not an object: ${JSON.stringify(schema)?.slice(0, 60)}`
  const s = schema as Record<string, unknown>
  if (s.type !== undefined && s.type !== 'object') return `type is ${JSON.stringify(s.type)}, not "object"`
  if (s.properties !== undefined && (s.properties === null || typeof s.properties !== 'object' || Array.isArray(s.properties)))
    return '`properties` is not an object'
  if (s.required !== undefined && !(Array.isArray(s.required) && s.required.every((r) => typeof r === 'string'))) return '`required` is not a list of names'
  return undefined
}

function item(kind: McpKind, name: string, source: string, extra: Partial<McpItem> = {}): McpItem {
  return { kind, key: `${kind} ${name}`, name, component: 'mcp', source: { file: source, line: 1 }, framework: 'probe', ...extra }
}

/** Every page of a list method, bounded; entries under `field`. */
async function listAll(client: Client, method: string, field: string, timeoutMs: number): Promise<{ entries: Array<Record<string, unknown>>; pages: number }> {
  const entries: Array<Record<string, unknown>> = []
  let cursor: string | undefined
  let pages = 0
  const seen = new Set<string>()
  do {
    const result = await client.request({ method, ...(cursor !== undefined ? { params: { cursor } } : {}) } as never, page, { timeout: timeoutMs })
    pages++
    const list = (result as Record<string, unknown>)[field]
    if (Array.isArray(list)) for (const e of list) if (e && typeof e === 'object') entries.push(e as Record<string, unknown>)
    cursor = result.nextCursor
    // A server that hands back a cursor it gave before would page forever.
    if (cursor !== undefined && seen.has(cursor)) break
    if (cursor !== undefined) seen.add(cursor)
  } while (cursor !== undefined && pages < maxPages)
  return { entries, pages }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** Probe an already connected server. */
export async function probeConnected(conn: McpConnection, source: string, timeoutMs: number): Promise<McpProbe> {
  const { client } = conn
  const capabilities = (client.getServerCapabilities() ?? {}) as Record<string, unknown>
  const info = client.getServerVersion()
  const instructions = client.getInstructions()
  const diagnostics: Diagnostic[] = []
  const items: McpItem[] = []
  let pages = 0
  const clientRejects: Record<string, string> = {}
  const attempt = async (what: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn()
    } catch (e) {
      diagnostics.push({ level: 'error', code: 'MCP_LIST_FAILED', message: `${what} failed: ${(e as Error).message}` })
    }
  }
  if (capabilities.tools) {
    await attempt('tools/list', async () => {
      const r = await listAll(client, 'tools/list', 'tools', timeoutMs)
      pages = r.pages
      if (r.pages >= maxPages)
        diagnostics.push({ level: 'warn', code: 'MCP_TOO_MANY_PAGES', message: `tools/list still had a next page after ${maxPages} pages; stopped there` })
      for (const t of r.entries) {
        const name = str(t.name)
        if (!name) continue
        const strict = ToolSchema.safeParse(t)
        if (!strict.success) clientRejects[name] = issueText(strict.error.issues)
        for (const field of ['inputSchema', 'outputSchema'] as const) {
          if (t[field] === undefined) continue
          const problem = schemaProblem(t[field])
          if (problem)
            diagnostics.push({ level: 'warn', code: 'MCP_SCHEMA_MALFORMED', message: `tool ${name}: ${field} is malformed (${problem}); compared as text` })
        }
        items.push(
          item('mcp-tool', name, source, {
            ...(str(t.description) !== undefined ? { description: str(t.description)! } : {}),
            ...(t.inputSchema !== undefined ? { inputSchema: t.inputSchema } : {}),
            ...(t.outputSchema !== undefined ? { outputSchema: t.outputSchema } : {}),
            ...(t.annotations && typeof t.annotations === 'object' ? { annotations: t.annotations as Record<string, unknown> } : {}),
          }),
        )
      }
    })
  }
  if (capabilities.tools) {
    // The raw list above is what we compare; the SDK's own listTools is what current clients call, and it may refuse the answer.
    let sdkReason: string | undefined
    try {
      await client.listTools(undefined, { timeout: timeoutMs })
    } catch (e) {
      sdkReason = sdkMessage((e as Error).message ?? String(e))
    }
    const names = Object.keys(clientRejects)
    if (sdkReason !== undefined || names.length) {
      const which = names.length
        ? `; ${plural(names.length, 'tool')} rejected: ${names
            .slice(0, 5)
            .map((n) => `${n} (${clientRejects[n]})`)
            .join(', ')}${names.length > 5 ? ', …' : ''}`
        : ''
      diagnostics.push({
        level: 'warn',
        code: 'MCP_CLIENTS_CANNOT_LIST',
        message: `current clients cannot list its tools: the MCP SDK client ${sdkReason !== undefined ? `rejects tools/list (${sdkReason})` : 'rejects some of its tools'}${which}`,
      })
    }
  }
  if (capabilities.resources) {
    await attempt('resources/list', async () => {
      for (const r of (await listAll(client, 'resources/list', 'resources', timeoutMs)).entries) {
        const uri = str(r.uri)
        if (uri) items.push(item('mcp-resource', uri, source, str(r.description) !== undefined ? { description: str(r.description)! } : {}))
      }
    })
    await attempt('resources/templates/list', async () => {
      for (const r of (await listAll(client, 'resources/templates/list', 'resourceTemplates', timeoutMs)).entries) {
        const uri = str(r.uriTemplate)
        if (uri) items.push(item('mcp-resource', uri, source, str(r.description) !== undefined ? { description: str(r.description)! } : {}))
      }
    })
  }
  if (capabilities.prompts) {
    await attempt('prompts/list', async () => {
      for (const p of (await listAll(client, 'prompts/list', 'prompts', timeoutMs)).entries) {
        const name = str(p.name)
        if (!name) continue
        items.push(
          item('mcp-prompt', name, source, {
            ...(str(p.description) !== undefined ? { description: str(p.description)! } : {}),
            // Prompt arguments compared like a tool's input: a newly required argument breaks callers.
            ...(Array.isArray(p.arguments) ? { inputSchema: promptSchema(p.arguments) } : {}),
          }),
        )
      }
    })
  }
  return {
    serverInfo: { name: info?.name ?? '', version: info?.version ?? '' },
    protocolVersion: conn.protocolVersion,
    capabilities,
    ...(instructions !== undefined ? { instructions } : {}),
    items,
    pages,
    initializeMs: conn.initializeMs,
    diagnostics,
    ...(Object.keys(clientRejects).length ? { clientRejects } : {}),
  }
}

/** The SDK's error in one line: a Zod error's JSON list of issues as `path: message` (the first three). */
function sdkMessage(message: string): string {
  try {
    const issues = JSON.parse(message) as unknown
    if (Array.isArray(issues) && issues.every((i) => i && Array.isArray(i.path) && typeof i.message === 'string')) {
      const shown = issues.slice(0, 3) as Array<{ path: PropertyKey[]; message: string }>
      return `${issueText(shown)}${issues.length > 3 ? `; ${plural(issues.length - 3, 'more issue')}` : ''}`
    }
  } catch {
    // not JSON: the message as it is
  }
  return oneLine(message)
}

function oneLine(text: string, max = 300): string {
  const s = text.replace(/\s+/g, ' ').trim()
  return s.length > max ? `${s.slice(0, max)}…` : s
}

/** The SDK's validation issues in one line: `inputSchema.type: expected "object"`. */
function issueText(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return oneLine(issues.map((i) => `${i.path.map(String).join('.') || '(tool)'}: ${i.message}`).join('; '), 200)
}

/** A prompt's argument list as the JSON Schema of an object (all strings), so that it diffs like a tool's input. */
function promptSchema(args: unknown[]): unknown {
  const properties: Record<string, unknown> = {}
  const required: string[] = []
  for (const a of args) {
    if (!a || typeof a !== 'object') continue
    const name = str((a as Record<string, unknown>).name)
    if (!name) continue
    properties[name] = { type: 'string' }
    if ((a as Record<string, unknown>).required === true) required.push(name)
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}) }
}
