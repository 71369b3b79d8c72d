/**
 * Recorded traffic resolves what the scan could not: a route under a prefix from the environment is
 * `/{?}/articles/{id}` to the scan; the replay corpus's `GET /api/articles/x` completes it, so it pairs
 * with the rewrite's route and counts as ported, marked as resolved by traffic.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { complete } from '../src/match/traffic.js'
import type { EndpointItem } from '../src/model/inventory.js'
import type { RunResult } from '../src/model/run.js'

const repo = new URL('..', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'parity-traffic-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const item = (method: string, path: string): EndpointItem => ({
  kind: 'route',
  method,
  path,
  key: `${method} ${path}`,
  framework: 'express',
  component: 'x',
  unresolved: 'a prefix from configuration',
})

describe('routes completed by recorded requests', () => {
  it('takes the text the requests show in each unknown part, never a parameter value', () => {
    const seen = [
      { method: 'GET', path: '/api/articles/x' },
      { method: 'GET', path: '/api/articles/y' },
      { method: 'POST', path: '/api/articles/x' },
      { method: 'GET', path: '/pages/about' },
      { method: 'GET', path: '/pages/terms' },
      { method: 'GET', path: '/pages/42' },
    ]
    expect(complete(item('GET', '/{?}/articles/{id}'), seen)).toEqual(['/api/articles/{id}'])
    expect(complete(item('GET', '/pages/{?}'), seen)).toEqual(['/pages/about', '/pages/terms'])
    expect(complete(item('DELETE', '/{?}/articles/{id}'), seen)).toEqual([])
  })

  it('pairs a route the scan left unresolved once the replay corpus shows it', () => {
    const write = (rel: string, text: string) => {
      mkdirSync(join(tmp, rel, '..'), { recursive: true })
      writeFileSync(join(tmp, rel), text)
    }
    write('old/package.json', JSON.stringify({ dependencies: { express: '^5.0.0' } }))
    write(
      'old/app.js',
      "const express = require('express')\nconst app = express()\napp.get(`${process.env.BASE}/articles/:id`, (q, s) => s.json({}))\napp.listen(3000)\n",
    )
    write('new/package.json', JSON.stringify({ dependencies: { express: '^5.0.0' } }))
    write('new/app.js', "const express = require('express')\nconst app = express()\napp.get('/api/articles/:slug', (q, s) => s.json({}))\napp.listen(3000)\n")
    const exchange = {
      id: '1',
      session: 's',
      seq: 0,
      host: '127.0.0.1:3000',
      startedAt: '2026-12-01T00:00:00.000Z',
      request: { method: 'GET', url: '/api/articles/x?full=1', headers: [] },
      response: { status: 200, headers: [] },
    }
    write('session.ndjson', `${JSON.stringify(exchange)}\n`)
    write(
      'parity.config.yaml',
      'systems:\n  - { name: old, role: baseline, source: ./old }\n  - { name: new, role: candidate, source: ./new }\nreplay: { corpus: ./session.ndjson }\n',
    )
    const r = spawnSync(process.execPath, [join(repo, 'bin/parity.js'), 'diff', '--format', 'json'], { cwd: tmp, encoding: 'utf8' })
    const run = JSON.parse(r.stdout) as RunResult
    const pair = run.pairs.find((p) => p.key === 'GET /api/articles/{}')
    expect(pair?.status, r.stdout.slice(0, 2000)).toBe('ported')
    expect((pair!.baseline as EndpointItem).resolvedFrom).toEqual({ path: '/{?}/articles/{id}', by: 'traffic' })
    expect(run.systems.find((s) => s.name === 'old')?.unresolved ?? 0).toBe(0)
    const text = spawnSync(process.execPath, [join(repo, 'bin/parity.js'), 'diff'], { cwd: tmp, encoding: 'utf8' }).stdout
    expect(text).toContain('/api/articles/{id} (resolved by traffic)')
  })
})
