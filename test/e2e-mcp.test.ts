/** `parity e2e` against MCP servers (fixtures/mcp), from the built CLI: an MCP suite (fixtures/e2e/mcp-suite.mjs) run once per server over stdio, Streamable HTTP and WebSocket. */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { isRunning } from '../src/systems/process-tree.js'

const repo = new URL('..', import.meta.url).pathname
const fx = (f: string) => join(repo, 'fixtures/mcp', f)
const suite = ['--', process.execPath, '--test', join(repo, 'fixtures/e2e/mcp-suite.mjs')]
const started: ChildProcess[] = []
afterAll(() => {
  for (const c of started) if (c.pid && isRunning(c.pid)) process.kill(-c.pid, 'SIGKILL')
})

interface E2eJson {
  tests: Array<{ name: string; baseline: string; candidate: string }>
}

async function parity(args: string[]): Promise<{ code: number; out: E2eJson; stderr: string }> {
  const run = promisify(execFile)
  const r = await run(process.execPath, [join(repo, 'bin/parity.js'), 'e2e', '--format', 'json', ...args], { env: { ...process.env, CI: 'true' } }).then(
    (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  )
  return { code: r.code, out: (r.stdout ? JSON.parse(r.stdout) : { tests: [] }) as E2eJson, stderr: r.stderr }
}

/** A fixture server in its own process group (`--http` or `--ws`); resolves to the URL it prints. */
async function listening(file: string, flag: '--http' | '--ws'): Promise<string> {
  const child = spawn(process.execPath, [fx(file), flag], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] })
  started.push(child)
  const rl = createInterface({ input: child.stdout! })
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${file} ${flag} printed no URL in 10 s`)), 10_000)
    rl.once('line', (line) => {
      clearTimeout(t)
      resolve(line.trim())
    })
  })
  rl.close()
  return url
}

/** The suite passes on the baseline; the candidate answers `lookup` differently: exactly that test is a regression. */
function expectOneRegression(r: { code: number; out: E2eJson; stderr: string }): void {
  expect(r.stderr).toBe('')
  expect(r.code).toBe(1)
  expect(r.out.tests.map((t) => `${t.name}: ${t.baseline} ${t.candidate}`)).toEqual([
    'lists the tools: pass pass',
    'echo returns the text: pass pass',
    'add returns the sum: pass pass',
    'lookup finds alpha: pass fail',
  ])
}

describe('parity e2e against MCP servers', () => {
  it('over stdio: the suite spawns each server from MCP_SERVER_COMMAND', async () => {
    expectOneRegression(await parity(['--baseline-command', `node ${fx('baseline.mjs')}`, '--candidate-command', `node ${fx('candidate.mjs')}`, ...suite]))
  })

  it('over stdio, the variable named by --env; a clean pair exits 0', async () => {
    const r = await parity([
      '--baseline-command',
      `node ${fx('baseline.mjs')}`,
      '--candidate-command',
      `node ${fx('baseline.mjs')}`,
      '--env',
      'SERVER_CMD',
      '--',
      '/bin/sh',
      '-c',
      `MCP_SERVER_COMMAND="$SERVER_CMD" "${process.execPath}" --test ${join(repo, 'fixtures/e2e/mcp-suite.mjs')}`,
    ])
    expect(r.code).toBe(0)
    expect(r.out.tests).toHaveLength(4)
    expect(r.out.tests.every((t) => t.baseline === 'pass' && t.candidate === 'pass')).toBe(true)
  })

  it('over Streamable HTTP: the URL in MCP_SERVER_URL with --mcp', async () => {
    const [b, c] = await Promise.all([listening('baseline.mjs', '--http'), listening('candidate.mjs', '--http')])
    expectOneRegression(await parity(['--mcp', '--baseline', b, '--candidate', c, ...suite]))
  })

  it('over WebSocket: a ws:// URL in MCP_SERVER_URL', async () => {
    const [b, c] = await Promise.all([listening('baseline.mjs', '--ws'), listening('candidate.mjs', '--ws')])
    expectOneRegression(await parity(['--baseline', b, '--candidate', c, ...suite]))
  })

  it('exits 2 when one side is a command and the other a URL', async () => {
    const r = await parity(['--baseline-command', 'node x.js', '--candidate', 'http://127.0.0.1:1', ...suite])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('give both sides as commands or both as URLs')
  })
})
