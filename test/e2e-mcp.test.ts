/** `parity e2e` against MCP servers (fixtures/mcp), from the built CLI: an MCP suite (fixtures/e2e/mcp-suite.mjs) run once per server over stdio, Streamable HTTP and WebSocket. */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it, onTestFinished } from 'vitest'
import type { RunResult } from '../src/model/run.js'
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

describe('parity run with `e2e.mcp`', () => {
  it("hands the suite each system's `mcp` block (stdio: its folder and environment written in) and gates on the pass rate", async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'parity-e2e-mcp-'))
    onTestFinished(() => rmSync(tmp, { recursive: true, force: true }))
    for (const side of ['old', 'new']) {
      mkdirSync(join(tmp, side))
      writeFileSync(join(tmp, side, 'index.ts'), 'export const x = 1\n')
    }
    writeFileSync(
      join(tmp, 'parity.config.yaml'),
      `systems:
  - { name: old, role: baseline, source: ./old, mcp: { command: "node ${fx('baseline.mjs')}" } }
  - { name: new, role: candidate, source: ./new, mcp: { command: [node, ${fx('candidate.mjs')}], env: { FIXTURE_NOTE: "it's here" } } }
e2e:
  mcp: true
  command: [${process.execPath}, --test, ${join(repo, 'fixtures/e2e/mcp-suite.mjs')}]
gates: [e2ePassRate >= 1]
reports: { json: out/run.json }
`,
    )
    const run = promisify(execFile)
    const r = await run(process.execPath, [join(repo, 'bin/parity.js'), 'run', '--json'], {
      cwd: tmp,
      env: { ...process.env, CI: 'true', GITHUB_STEP_SUMMARY: '' },
    }).then(
      () => ({ code: 0 }),
      (e: { code: number }) => e,
    )
    expect(r.code).toBe(1)
    const result = JSON.parse(readFileSync(join(tmp, 'out/run.json'), 'utf8')) as RunResult
    expect(result.tests?.map((t) => `${t.name}: ${t.outcome}`)).toEqual([
      'lists the tools: pass-both',
      'echo returns the text: pass-both',
      'add returns the sum: pass-both',
      'lookup finds alpha: regression',
    ])
    expect(result.assessment?.gates.map((g) => `${g.gate} ${g.passed}`)).toEqual(['e2ePassRate >= 1 false'])
  })
})
