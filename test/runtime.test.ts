/**
 * The inventory confirmed at run time: `parity run` starts each Node system once with the route tap
 * loaded (`NODE_OPTIONS=--import`), reads what Express, Fastify and Hono really register and the OpenAPI
 * document a system serves, marks the scan's routes confirmed, completes unresolved ones and lists
 * what only the running system showed, in the terminal, the RunResult and the HTML report.
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EndpointItem } from '../src/model/inventory.js'
import type { RunResult } from '../src/model/run.js'
import { renderHtml } from '../src/report/html/render.js'
import { completesPath } from '../src/verify/runtime.js'
import { useReportBrowser } from './support/report-browser.js'

const repo = new URL('..', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'parity-runtime-'))
let run: RunResult
let stdout = ''

function parityRun(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [join(repo, 'bin/parity.js'), 'run', ...args],
      { cwd: tmp, env: { ...process.env, CI: 'true', GITHUB_STEP_SUMMARY: '' }, timeout: 120_000 },
      (err, out, stderr) => resolve({ code: err ? (err as { code: number }).code : 0, stdout: out, stderr }),
    ),
  )
}

beforeAll(async () => {
  cpSync(join(repo, 'fixtures/runtime'), tmp, { recursive: true })
  // The services import express and fastify from the folder they run in, as an installed project does.
  symlinkSync(join(repo, 'node_modules'), join(tmp, 'node_modules'))
  writeFileSync(
    join(tmp, 'parity.config.yaml'),
    `systems:
  - { name: express, role: baseline, source: ./tapped-express, run: { command: [node, server.mjs] } }
  - { name: fastify, role: candidate, source: ./tapped-fastify, run: { command: [node, server.mjs] } }
  - { name: hono, role: candidate, source: ./tapped-hono, run: { command: [node, server.mjs] } }
reports: { json: out/run.json }
`,
  )
  const r = await parityRun([])
  stdout = r.stdout
  expect([0, 1], r.stderr).toContain(r.code)
  run = JSON.parse(readFileSync(join(tmp, 'out/run.json'), 'utf8')) as RunResult
}, 180_000)
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('run-time inventory', () => {
  it('confirms the scan routes Express registers, through routers and a sub-application', () => {
    const express = run.systems.find((s) => s.name === 'express')!.runtime!
    expect(express.via).toEqual(['tap'])
    expect(express.frameworks).toEqual(['express'])
    const confirmed = run.pairs.flatMap((p) => (p.baseline && (p.baseline as EndpointItem).confirmed ? [p.baseline.key] : []))
    expect(confirmed.sort()).toEqual(['GET /admin/stats', 'GET /api/notes', 'GET /api/notes/{}', 'GET /health', 'POST /api/notes'])
  })

  it('lists the route only the running system registered as a scan miss, and says so before any figure', () => {
    const express = run.systems.find((s) => s.name === 'express')!.runtime!
    expect(express.scanMissed.map((m) => m.key)).toEqual(['GET /hidden'])
    expect(run.diagnostics.find((d) => d.code === 'SCAN_MISSED_AT_RUN_TIME')?.message).toContain('GET /hidden')
    const basis = stdout.indexOf('only at run time: GET /hidden')
    expect(basis).toBeGreaterThan(-1)
    expect(basis).toBeLessThan(stdout.indexOf('%'))
  })

  it('completes an unresolved scan route with the paths the running system registered', () => {
    const express = run.systems.find((s) => s.name === 'express')!.runtime!
    expect(express.resolved.map((r) => r.to).sort()).toEqual(['GET /pages/about', 'GET /pages/terms'])
    expect(express.resolved[0]!.from).toBe('GET /pages/{?}')
  })

  it('reads Fastify through its router and the OpenAPI document the system serves', () => {
    const fastify = run.systems.find((s) => s.name === 'fastify')!.runtime!
    expect(fastify.via).toEqual(['tap', 'openapi'])
    expect(fastify.openapi).toBe('/openapi.json')
    expect(fastify.scanMissed).toEqual([{ method: 'POST', path: '/api/export', key: 'POST /api/export', via: 'openapi' }])
    expect(fastify.notSeen).toEqual([])
  })

  it('reads Hono through its routers, leaving out sub-apps and middleware', () => {
    const hono = run.systems.find((s) => s.name === 'hono')!.runtime!
    expect(hono.via).toEqual(['tap'])
    expect(hono.routes).toBe(3)
    expect(hono.confirmed).toBe(3)
    expect(hono.scanMissed).toEqual([])
  })

  it('each unknown part of a path stands for one or more segments', () => {
    expect(completesPath('/{?}/articles/{}', '/api/v1/articles/{slug}')).toBe(true)
    expect(completesPath('/{?}/articles/{}', '/articles/{slug}')).toBe(false)
    expect(completesPath('/pages/{?}', '/pages/about')).toBe(true)
    expect(completesPath('/pages/{?}', '/other/about')).toBe(false)
  })
})

describe('run-time inventory in the HTML report', () => {
  const browser = useReportBrowser()
  it('marks each route the running system registered as confirmed at run time', async () => {
    const page = await browser.open(renderHtml(run), `#/component/${encodeURIComponent(run.pairs.find((p) => p.key === 'GET /api/notes')!.component)}`)
    const row = page.locator('tr.item[data-key="GET /api/notes"]')
    await expect.poll(() => row.textContent()).toContain('confirmed at run time')
    const overview = await browser.open(renderHtml(run), '#/')
    await expect.poll(() => overview.locator('#inventory-basis').textContent()).toContain('found only at run time')
  })
})
