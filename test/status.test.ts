/**
 * `parity status` against real servers: one in this process on 127.0.0.1 (a JSON /health with a
 * version, a readiness path that answers 503), one in a child process started by the supervisor (an
 * x-version header; its port's owner must be named), and a free port nobody listens on. Services come
 * from a scanned tree whose server states the child's port. The CLI is the built one, spawned
 * asynchronously so that the in-process server keeps answering.
 */
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, type ResolvedConfig } from '../src/config/load.js'
import { diffConfig } from '../src/match/diff-run.js'
import type { RunResult } from '../src/model/run.js'
import { renderVault } from '../src/report/markdown/vault.js'
import { checkStatus, runStatusStage } from '../src/status/status.js'
import type { StatusSnapshot, SystemStatus } from '../src/model/status.js'
import { freePort } from '../src/systems/local-ports.js'
import { startSystem, stopAll } from '../src/systems/supervisor.js'
import type { StartedSystem } from '../src/systems/types.js'

const repo = new URL('..', import.meta.url).pathname
const bin = join(repo, 'bin/parity.js')
const tmp = mkdtempSync(join(tmpdir(), 'parity-status-'))

let server: Server
let up: number
let child: StartedSystem
let childPort: number
let down: number

const CHILD = `require('node:http').createServer((req, res) => { res.setHeader('x-version', '2.0.0-rc.1'); res.end('ok') }).listen(Number(process.env.PORT), '127.0.0.1')`

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: tmp, env: { ...process.env, CI: 'true' }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

function writeConfig(name: string, systems: string): string {
  const file = join(tmp, name)
  writeFileSync(file, `systems:\n${systems}`)
  return file
}

const byName = (entries: SystemStatus[], name: string) => {
  const e = entries.find((x) => x.name === name)
  expect(e, `${name} in ${entries.map((x) => x.name).join(', ')}`).toBeDefined()
  return e!
}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/health') {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ status: 'ok', version: '1.4.2' }))
    } else if (req.url === '/broken') {
      res.statusCode = 503
      res.end('starting')
    } else if (req.url === '/') res.end('hello')
    else {
      res.statusCode = 404
      res.end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  up = (server.address() as { port: number }).port
  childPort = await freePort()
  child = await startSystem({
    name: 'versioned',
    command: [process.execPath, '-e', CHILD],
    cwd: tmp,
    port: childPort,
    url: `http://127.0.0.1:${childPort}`,
    ready: { tcp: true },
    logFile: join(tmp, 'versioned.log'),
  })
  down = await freePort()
  // A tree with one Express service whose code states the child's port.
  mkdirSync(join(tmp, 'svc/src'), { recursive: true })
  writeFileSync(join(tmp, 'svc/package.json'), JSON.stringify({ name: 'svc', scripts: { start: 'node src/server.js' }, dependencies: { express: '^4.19.0' } }))
  writeFileSync(
    join(tmp, 'svc/src/server.js'),
    `const express = require('express')\nconst app = express()\napp.get('/items', (req, res) => res.json([]))\napp.listen(process.env.PORT ?? ${childPort})\n`,
  )
})

afterAll(async () => {
  await stopAll()
  await new Promise((resolve) => server.close(resolve))
  rmSync(tmp, { recursive: true, force: true })
})

describe('checkStatus', () => {
  let config: ResolvedConfig
  let entries: SystemStatus[]
  beforeAll(async () => {
    const file = writeConfig(
      'all.yaml',
      [
        `  - { name: base, role: baseline, source: ./svc, url: "http://127.0.0.1:${up}" }`,
        `  - { name: fixed, role: candidate, source: ./svc, run: { command: [node, x.js], port: ${childPort}, ready: { http: /health } } }`,
        `  - { name: gone, role: candidate, source: ./svc, url: "http://127.0.0.1:${down}" }`,
        `  - { name: later, role: candidate, source: ./svc, run: { command: [node, x.js] } }`,
        `  - { name: unready, role: candidate, source: ./svc, run: { command: [node, x.js], port: ${up}, ready: { http: /broken } } }`,
        `  - { name: scanned, role: candidate, source: ./svc }`,
        '',
      ].join('\n'),
    )
    config = await loadConfig(file)
    entries = await checkStatus(config)
  })

  it('an HTTP server that answers is up, with its response time, the version of its /health, and this process as owner', () => {
    const base = byName(entries, 'base')
    expect(base).toMatchObject({
      kind: 'system',
      role: 'baseline',
      state: 'up',
      check: 'http',
      path: '/',
      httpStatus: 200,
      version: '1.4.2',
      versionFrom: '/health',
      port: up,
    })
    expect(base.responseMs).toBeGreaterThan(0)
    expect(base.owner?.startsWith(`${process.pid} `)).toBe(true)
  })

  it('a fixed run.port is checked on its readiness path; the version comes from the x-version header; the child holding the port is named', () => {
    const fixed = byName(entries, 'fixed')
    expect(fixed).toMatchObject({
      state: 'up',
      path: '/health',
      httpStatus: 200,
      version: '2.0.0-rc.1',
      versionFrom: 'x-version header',
      url: `http://127.0.0.1:${childPort}`,
    })
    expect(fixed.owner).toMatch(new RegExp(`^${child.pid} .*node`))
  })

  it('a port nobody listens on is down, with no owner', () => {
    const gone = byName(entries, 'gone')
    expect(gone).toMatchObject({ state: 'down', port: down, note: 'connection refused' })
    expect(gone.owner).toBeUndefined()
    expect(gone.responseMs).toBeUndefined()
  })

  it('a readiness path that answers 503 is down; a system started on a free port is on demand; a scan-only one is not checked', () => {
    expect(byName(entries, 'unready')).toMatchObject({ state: 'down', httpStatus: 503, note: 'GET /broken answered 503' })
    expect(byName(entries, 'later')).toMatchObject({ state: 'on-demand', note: 'not running (started by parity on demand)' })
    expect(byName(entries, 'scanned')).toMatchObject({ state: 'unchecked' })
  })
})

describe('services, the run stage and the vault', () => {
  let run: RunResult
  beforeAll(async () => {
    const file = writeConfig(
      'pair.yaml',
      `  - { name: base, role: baseline, source: ./svc, url: "http://127.0.0.1:${up}" }\n  - { name: cand, role: candidate, source: ./svc, url: "http://127.0.0.1:${down}" }\n`,
    )
    const config = await loadConfig(file)
    run = await runStatusStage(await diffConfig(config), config)
  })

  it('checks each scanned service with a port once, and names the process on it', () => {
    const entries = run.status!.entries
    expect(entries.map((e) => `${e.name} ${e.state}`)).toEqual(['base up', 'cand down', 'base/svc up'])
    const svc = byName(entries, 'base/svc')
    expect(svc).toMatchObject({ kind: 'service', port: childPort, version: '2.0.0-rc.1', note: 'same port as cand/svc' })
    expect(svc.owner?.startsWith(`${child.pid} `)).toBe(true)
    expect(Date.parse(run.status!.checkedAt)).not.toBeNaN()
  })

  it('the vault Index gets a Running services table from the last status', () => {
    const index = renderVault(run).get('Index.md')!
    const section = index.slice(index.indexOf('## Running services'))
    expect(index).toContain('## Running services')
    expect(section).toContain(`| base | system | \`http://127.0.0.1:${up}\` | **up (200)** |`)
    expect(section).toContain(`| cand | system | \`http://127.0.0.1:${down}\` | down |`)
    expect(section).toMatch(new RegExp(`\\| base/svc \\| service .*2\\.0\\.0-rc\\.1 \\(x-version header\\) \\| \`${child.pid} `))
  })
})

describe('parity status (the built CLI)', () => {
  const config = () =>
    writeConfig(
      'cli.yaml',
      `  - { name: base, role: baseline, source: ./svc, url: "http://127.0.0.1:${up}" }\n  - { name: cand, role: candidate, source: ./svc, url: "http://127.0.0.1:${down}" }\n`,
    )

  it('prints a table: one system up with its version, one down, the service with its owner', async () => {
    const r = await cli(['status', '--config', config()])
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toMatch(/^Name\s+Kind\s+Role\s+Address\s+State\s+Time\s+Version\s+Process/)
    expect(lines.find((l) => l.startsWith('base '))).toMatch(/up \(200\)\s+[\d.]+ ms\s+1\.4\.2 \(\/health\)/)
    expect(lines.find((l) => l.startsWith('cand '))).toMatch(/down\s+–\s+–\s+–\s+connection refused/)
    expect(lines.find((l) => l.startsWith('base/svc'))).toContain(`${child.pid} `)
    expect(r.stdout).toContain('2 up, 1 down, 0 not checked')
  })

  it('--format json prints the snapshot', async () => {
    const r = await cli(['status', '--config', config(), '--format', 'json'])
    expect(r.code, r.stderr).toBe(0)
    const snapshot = JSON.parse(r.stdout) as StatusSnapshot
    expect(snapshot.entries.map((e) => [e.name, e.state, e.version ?? null])).toEqual([
      ['base', 'up', '1.4.2'],
      ['cand', 'down', null],
      ['base/svc', 'up', '2.0.0-rc.1'],
    ])
  })

  it('--watch with --count 2 prints two rounds, then exits', async () => {
    const r = await cli(['status', '--config', config(), '--watch', '0.2', '--count', '2'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.match(/round \d of 2/g)).toEqual(['round 1 of 2', 'round 2 of 2'])
    expect(r.stdout.match(/^base\s.*up \(200\)/gm)).toHaveLength(2)
    expect(r.stdout).not.toContain('\x1b[')
    const json = await cli(['status', '--config', config(), '--watch', '--count', '2', '--format', 'json'])
    expect(json.code, json.stderr).toBe(0)
    const rounds = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as StatusSnapshot)
    expect(rounds).toHaveLength(2)
    expect(rounds.map((s) => byName(s.entries, 'cand').state)).toEqual(['down', 'down'])
  })

  it('Ctrl-C (SIGINT) ends a watch cleanly, with exit code 0', async () => {
    const proc = spawn(process.execPath, [bin, 'status', '--config', config(), '--watch', '0.2', '--count', '1000'], {
      cwd: tmp,
      env: { ...process.env, CI: 'true' },
    })
    let out = ''
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('round 2 of 1000')) proc.kill('SIGINT')
    })
    const [code, signal] = (await once(proc, 'exit')) as [number | null, string | null]
    expect({ code, signal }).toEqual({ code: 0, signal: null })
    expect(out.match(/round \d+ of 1000/g)!.length).toBeLessThan(1000)
  })

  it('--watch without a terminal needs --count; a bad --count is a usage error', async () => {
    const r = await cli(['status', '--config', config(), '--watch', '1'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('hint: add --count N')
    const bad = await cli(['status', '--config', config(), '--watch', '--count', '0'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--count 0 is not a whole number above 0')
  })
})
