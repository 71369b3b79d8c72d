/**
 * Scripted tool calls: read from a calls file, made on the baseline (twice when a second instance is
 * given, to learn noise), and the candidate, and compared with the replay's JSON diff: a call's
 * answer is a JSON value (`content` with text holding JSON parsed, `structuredContent`, `isError`,
 * or the JSON-RPC `error.code`) and a failure (timeout, exited server) is data beside it.
 */
import { existsSync, readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js'
import { ParityError } from '../model/errors.js'
import { diffJson } from '../verify/diff/json.js'
import { learnJsonNoise } from '../verify/noise.js'
import { redactDifference, type RedactOptions } from '../verify/redact.js'
import type { Difference, ExchangeVerdict, IgnoreRule } from '../model/exchange.js'
import type { McpConnection } from './client.js'
import type { McpCall, McpChange } from '../model/mcp.js'

const defaultTimeoutMs = 10_000
const anyResult = z.object({}).passthrough()

/** Read a calls file: a YAML or JSON list of `{ tool, arguments?, expect?, timeoutMs? }`. */
export function readCalls(file: string): McpCall[] {
  if (!existsSync(file))
    throw new ParityError('MCP_CALLS_NOT_FOUND', `calls file ${file} does not exist`, 'pass a YAML or JSON list of { tool, arguments } with --calls')
  let data: unknown
  try {
    data = parseYaml(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new ParityError(
      'MCP_CALLS_INVALID',
      `${file} is not YAML or JSON: ${(e as Error).message.split('\n')[0]}`,
      'fix the syntax; the file is a list of { tool, arguments }',
    )
  }
  if (!Array.isArray(data))
    throw new ParityError('MCP_CALLS_INVALID', `${file} is not a list of calls`, 'write a list: `- tool: name` with `arguments:` under it')
  return data.map((entry, i): McpCall => {
    const where = `${file} entry ${i + 1}`
    const bad = (what: string) =>
      new ParityError('MCP_CALLS_INVALID', `${where}: ${what}`, 'each entry is { tool: name, arguments?: {...}, expect?: { isError?, text? }, timeoutMs? }')
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw bad('not an object')
    const e = entry as Record<string, unknown>
    if (typeof e.tool !== 'string' || !e.tool) throw bad('`tool` must be a non-empty string')
    const unknown = Object.keys(e).filter((k) => !['tool', 'arguments', 'expect', 'timeoutMs'].includes(k))
    if (unknown.length) throw bad(`unknown field ${unknown.map((k) => `\`${k}\``).join(', ')}`)
    if (e.arguments !== undefined && (e.arguments === null || typeof e.arguments !== 'object' || Array.isArray(e.arguments)))
      throw bad('`arguments` must be an object')
    if (e.timeoutMs !== undefined && !(typeof e.timeoutMs === 'number' && e.timeoutMs > 0)) throw bad('`timeoutMs` must be a positive number')
    let expect: McpCall['expect']
    if (e.expect !== undefined) {
      const x = e.expect as Record<string, unknown>
      if (!x || typeof x !== 'object' || Array.isArray(x)) throw bad('`expect` must be an object')
      if (x.isError !== undefined && typeof x.isError !== 'boolean') throw bad('`expect.isError` must be true or false')
      if (x.text !== undefined && typeof x.text !== 'string') throw bad('`expect.text` must be a string')
      expect = { ...(x.isError !== undefined ? { isError: x.isError as boolean } : {}), ...(x.text !== undefined ? { text: x.text as string } : {}) }
    }
    return {
      tool: e.tool,
      ...(e.arguments !== undefined ? { arguments: e.arguments as Record<string, unknown> } : {}),
      ...(expect ? { expect } : {}),
      ...(e.timeoutMs !== undefined ? { timeoutMs: e.timeoutMs as number } : {}),
    }
  })
}

/** A tool call's result in the shape that is compared: text holding JSON parsed, absent `isError` as false. */
export function comparableResult(result: Record<string, unknown>): Record<string, unknown> {
  const content = Array.isArray(result.content)
    ? result.content.map((block: unknown) => {
        if (!block || typeof block !== 'object') return block
        const b = block as Record<string, unknown>
        if (b.type === 'text' && typeof b.text === 'string') {
          const t = b.text.trim()
          if (t.startsWith('{') || t.startsWith('[')) {
            try {
              return { ...b, text: JSON.parse(t) as unknown }
            } catch {
              // plain text after all
            }
          }
        }
        return b
      })
    : []
  return {
    content,
    ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
    isError: result.isError === true,
  }
}

/** What one server answered to one call: a result, or a failure (timeout, exited server, other). */
export interface McpAnswer {
  /** The result as compared (see `comparableResult`), or `{ error: { code } }` for a JSON-RPC error. */
  result?: Record<string, unknown>
  error?: { code: 'timeout' | 'reset' | 'other'; message: string }
  durationMs: number
}

function answer(result: Record<string, unknown>, durationMs: number): McpAnswer {
  return { result, durationMs }
}

function failure(code: NonNullable<McpAnswer['error']>['code'], message: string, durationMs = 0): McpAnswer {
  return { durationMs, error: { code, message } }
}

/** One call on one server; a failure is data. */
export async function callTool(conn: McpConnection, call: McpCall, timeoutMs: number): Promise<McpAnswer> {
  if (!conn.alive()) {
    const tail = conn.stderrTail()
    return failure('reset', `the server exited earlier${tail ? ` (stderr: ${tail.split('\n').pop()})` : ''}`)
  }
  const t0 = performance.now()
  try {
    const result = await conn.client.request({ method: 'tools/call', params: { name: call.tool, arguments: call.arguments ?? {} } }, anyResult, {
      timeout: call.timeoutMs ?? timeoutMs,
    })
    return answer(comparableResult(result as Record<string, unknown>), performance.now() - t0)
  } catch (e) {
    const ms = performance.now() - t0
    if (e instanceof McpError) {
      if (e.code === ErrorCode.RequestTimeout) return failure('timeout', `no answer within ${call.timeoutMs ?? timeoutMs} ms`, ms)
      if (e.code === ErrorCode.ConnectionClosed || !conn.alive()) {
        // Give the exit a moment to land, so the message can say how the server ended.
        await new Promise((r) => setTimeout(r, 20))
        const tail = conn.stderrTail()
        return failure('reset', `the server exited during the call${tail ? ` (stderr: ${tail.split('\n').pop()})` : ''}`, ms)
      }
      // A JSON-RPC error is an answer: its code is compared (messages differ between languages).
      return answer({ error: { code: e.code } }, ms)
    }
    return failure(conn.alive() ? 'other' : 'reset', (e as Error).message ?? String(e), ms)
  }
}

export interface McpCallOutcome {
  index: number
  call: McpCall
  baseline: McpAnswer
  baseline2?: McpAnswer
  candidate: McpAnswer
  verdict: ExchangeVerdict
  /** What the baseline's answer failed of the call's `expect`. */
  expectation?: string
}

export interface McpCallsResult {
  outcomes: McpCallOutcome[]
  /** Ignore rules learned from two baseline answers (route `tool <name>`). */
  noise: IgnoreRule[]
  /** Per tool: calls made, equivalent, and the `result` changes of those that differed. */
  byTool: Map<string, { total: number; equivalent: number; changes: McpChange[] }>
}

/** The route a call's noise rules are learned and applied under. */
const routeOf = (call: McpCall) => `tool ${call.tool}`

function show(v: unknown): string {
  const s = v === undefined ? 'absent' : (JSON.stringify(v) ?? String(v))
  return s.length > 60 ? `${s.slice(0, 60)}…` : s
}

function describe(d: Difference): string {
  if (d.where === 'error') return `result differs: baseline ${show(d.baseline)}, candidate ${show(d.candidate)}`
  return `result ${d.pointer || '/'} differs (${d.kind}): baseline ${show(d.baseline)}, candidate ${show(d.candidate)}`
}

function checkExpect(call: McpCall, r: McpAnswer): string | undefined {
  if (!call.expect) return undefined
  if (r.error) return `the baseline failed: ${r.error.message}`
  const body = (r.result ?? {}) as { isError?: boolean; content?: Array<{ text?: unknown }> }
  if (call.expect.isError !== undefined && body.isError !== call.expect.isError)
    return `expected isError ${call.expect.isError}, got ${body.isError ?? 'a JSON-RPC error'}`
  if (call.expect.text !== undefined) {
    // A block without text (an image, a resource) holds none to match.
    const texts = (body.content ?? []).map((c) => (typeof c.text === 'string' ? c.text : c.text === undefined ? '' : JSON.stringify(c.text)))
    if (!texts.some((t) => t.includes(call.expect!.text!))) return `expected text containing ${JSON.stringify(call.expect.text)}`
  }
  return undefined
}

/** A side's text in an `error` difference: its failure, or that it gave a result. */
function failureText(a: McpAnswer): string {
  return a.error ? `${a.error.code}: ${a.error.message}` : 'a result'
}

/**
 * The verdict on one call: a failure on one side is an `error` difference (`error` when the
 * baseline failed, the candidate cannot be judged), on both sides unproven; two results are
 * diffed as JSON under the rules of the call's tool.
 */
function judge(b: McpAnswer, c: McpAnswer, rules: IgnoreRule[], route: string): ExchangeVerdict {
  if (b.error || c.error) {
    if (b.error && c.error) return { outcome: 'unproven', differences: [], normalized: [], ignored: [] }
    const diff: Difference = { where: 'error', pointer: '', kind: 'value', baseline: failureText(b), candidate: failureText(c) }
    return { outcome: b.error ? 'error' : 'different', differences: [diff], normalized: [], ignored: [] }
  }
  const diff = diffJson(b.result, c.result, { rules, route })
  return { outcome: diff.differences.length > 0 ? 'different' : 'equal', ...diff }
}

/**
 * Make each call on the baseline (and on a second baseline instance, for noise) and the candidate,
 * in order, and compare the answers. A timeout or a crashed server fails that call (and, for a
 * crash, the later ones on that server); the run goes on.
 */
export async function runCalls(
  baseline: McpConnection | McpConnection[],
  candidate: McpConnection,
  calls: McpCall[],
  opts: { timeoutMs?: number; ignore?: IgnoreRule[]; redact?: RedactOptions } = {},
): Promise<McpCallsResult> {
  const [base, base2] = Array.isArray(baseline) ? baseline : [baseline]
  if (!base) throw new ParityError('MCP_NO_BASELINE', 'runCalls needs a baseline connection', 'pass the baseline connection')
  const timeoutMs = opts.timeoutMs ?? defaultTimeoutMs
  const answered: Array<{ baseline: McpAnswer; baseline2?: McpAnswer; candidate: McpAnswer }> = []
  for (const call of calls) {
    const [b, b2, c] = await Promise.all([
      callTool(base, call, timeoutMs),
      base2 ? callTool(base2, call, timeoutMs) : Promise.resolve(undefined),
      callTool(candidate, call, timeoutMs),
    ])
    answered.push({ baseline: b, ...(b2 ? { baseline2: b2 } : {}), candidate: c })
  }
  const noise = learnJsonNoise(
    answered.flatMap((a, i) => {
      const second = a.baseline2
      return second?.result && a.baseline.result ? [{ route: routeOf(calls[i]!), first: a.baseline.result, second: second.result }] : []
    }),
  )
  const rules = [...noise, ...(opts.ignore ?? [])]
  const outcomes: McpCallOutcome[] = []
  const byTool = new Map<string, { total: number; equivalent: number; changes: McpChange[] }>()
  answered.forEach((a, i) => {
    const call = calls[i]!
    const verdict = judge(a.baseline, a.candidate, rules, routeOf(call))
    const expectation = checkExpect(call, a.baseline)
    outcomes.push({ index: i, call, ...a, verdict, ...(expectation ? { expectation } : {}) })
    let entry = byTool.get(call.tool)
    if (!entry) byTool.set(call.tool, (entry = { total: 0, equivalent: 0, changes: [] }))
    entry.total++
    if (verdict.outcome === 'equal') entry.equivalent++
    if (verdict.outcome !== 'different') return
    for (const d of verdict.differences) {
      // The change is stored (history, reports): secrets in the answers out of it.
      const detail = `call ${i + 1}: ${describe(redactDifference(d, { ...opts.redact, keep: false }))}`
      const pointer = d.where === 'error' ? '' : d.pointer
      if (!entry.changes.some((ch) => ch.pointer === pointer && ch.detail.slice(ch.detail.indexOf(':')) === detail.slice(detail.indexOf(':')))) {
        entry.changes.push({ kind: 'result', breaking: true, detail, pointer })
      }
    }
  })
  return { outcomes, noise, byTool }
}
