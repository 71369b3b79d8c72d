/**
 * One component model, service > component (match/components.ts), on trees scanned from temp
 * folders and on the platform monorepo: a folder, a prefix and a package that name the same thing
 * are one component; a port's items are in the components of the service it ports; `parity init`
 * writes the model into the config, and the config's rules give the same components back.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.js'
import { componentRules, nameWords, namesSameThing } from '../src/match/components.js'
import { diffSystems } from '../src/match/diff.js'
import { diffConfig } from '../src/match/diff-run.js'
import { scanPath } from '../src/scan/scan.js'

const tmp = mkdtempSync(join(tmpdir(), 'parity-components-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function tree(name: string, files: Record<string, string>): string {
  const root = join(tmp, name)
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true })
    writeFileSync(join(root, file), text)
  }
  return root
}
const pkg = (name: string) => JSON.stringify({ name, dependencies: { express: '^4.19.0' }, scripts: { start: 'node src/server.js' } })
const express = (port: number, routes: string[]) =>
  `const express = require('express')\nconst app = express()\n${routes
    .map((r) => {
      const [m, p] = r.split(' ')
      return `app.${m!.toLowerCase()}('${p}', (req, res) => res.json({}))`
    })
    .join('\n')}\napp.listen(${port})\n`
const inventory = async (name: string, root: string, role: 'baseline' | 'candidate') => ({
  name,
  role,
  source: root,
  sourceKind: 'tree' as const,
  inventory: await scanPath({ path: root, jobs: 1 }),
})

it('says two names name one thing by their words: case, separators, plurals and service marks aside', () => {
  expect(nameWords('Video-Pipeline')).toEqual(['video', 'pipeline'])
  expect(nameWords('videoPipelines')).toEqual(['video', 'pipeline'])
  expect(nameWords('go-file-management-service')).toEqual(['file', 'management'])
  expect(namesSameThing('videos', 'Video')).toBe(true)
  expect(namesSameThing('Video-Pipeline', 'video_pipeline')).toBe(true)
  expect(namesSameThing('files', 'file-management-service')).toBe(false)
  expect(namesSameThing('files', 'file-management-service', true)).toBe(true)
  expect(namesSameThing('invoices', 'billing-service', true)).toBe(false)
  expect(namesSameThing('categories', 'category')).toBe(true)
})

it('makes a package, its folder and the route prefixes that name them one component (twitch-video in video-pipeline/, /videos, /video-pipeline)', async () => {
  const root = tree('twitch', {
    'services/video-pipeline/package.json': pkg('twitch-video'),
    'services/video-pipeline/src/server.js': express(3001, [
      'GET /health',
      'POST /videos',
      'GET /videos/:id',
      'GET /video-pipeline/status',
      'GET /Video-Pipeline/queue',
    ]),
    'services/billing/package.json': pkg('billing'),
    'services/billing/src/server.js': express(3002, [
      'GET /health',
      'GET /invoices',
      'POST /invoices',
      'GET /invoices/:id',
      'GET /subscriptions',
      'POST /subscriptions',
      'DELETE /subscriptions/:id',
    ]),
  })
  const base = await inventory('old', root, 'baseline')
  const run = diffSystems(base, [await inventory('new', tree('empty', { 'src/index.js': 'module.exports = {}\n' }), 'candidate')])
  const components = run.components.map((c) => c.name)
  expect(components).toEqual(['billing', 'billing/invoices', 'billing/subscriptions', 'twitch-video'])
  const twitch = run.pairs.filter((p) => p.component === 'twitch-video').map((p) => p.key)
  expect(twitch.sort()).toEqual(
    ['GET /health', 'GET /Video-Pipeline/queue', 'GET /video-pipeline/status', 'GET /videos/{}', 'POST /videos', 'service twitch-video'].sort(),
  )
  // Billing holds two areas of three endpoints each: one component each inside it; the service and its /health are its own.
  expect(run.pairs.filter((p) => p.component === 'billing/subscriptions').map((p) => p.key)).toHaveLength(3)
  expect(run.pairs.filter((p) => p.component === 'billing').map((p) => p.key)).toEqual(['GET /health', 'service billing'])
})

it('puts every item of the platform in its service’s component, a port’s extras included: one row per service', async () => {
  const dir = new URL('../fixtures/monorepos/platform/', import.meta.url).pathname
  const run = await diffConfig(await loadConfig(join(dir, 'parity.config.yaml')))
  expect(run.components.map((c) => c.name)).toEqual(run.services!.rows.map((r) => r.service).sort())
  for (const p of run.pairs) {
    const item = p.baseline ?? p.candidate!
    const service = p.baseline ? (item.kind === 'service' ? item.key.slice(8) : item.service) : undefined
    if (service) expect(p.component, p.key).toBe(service)
  }
  // The extra GET /metrics of go-file-management-service sits with what it ports.
  expect(run.pairs.find((p) => p.status === 'extra' && p.key === 'GET /metrics')?.component).toBe('file-management-service')
  expect(run.components.find((c) => c.name === 'auth-service')?.candidates.rust).toMatchObject({ ported: 5, total: 8 })
})

it('writes the model as config rules that give the same components back, and a map rule pairs services by name', async () => {
  const root = join(tmp, 'twitch')
  const base = await inventory('old', root, 'baseline')
  const rules = componentRules(base.inventory.items)
  expect(rules).toEqual([
    { name: 'billing', service: 'billing' },
    { name: 'billing/invoices', service: 'billing', paths: ['/invoices'] },
    { name: 'billing/subscriptions', service: 'billing', paths: ['/subscriptions'] },
    { name: 'twitch-video', service: 'twitch-video' },
  ])
  const cand = tree('twitch-rs', {
    'svc/Cargo.toml': '[package]\nname = "media"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n',
    'svc/src/main.rs':
      'use axum::{routing::{get, post}, Router};\n#[tokio::main]\nasync fn main() {\n    let app = Router::new().route("/health", get(h)).route("/videos", post(h)).route("/thumbnails", get(h));\n    let l = tokio::net::TcpListener::bind("0.0.0.0:9001").await.unwrap();\n    axum::serve(l, app).await.unwrap();\n}\nasync fn h() {}\n',
  })
  const candidate = await inventory('new', cand, 'candidate')
  const without = diffSystems(base, [candidate], { map: [{ from: 'service twitch-video', to: 'service media' }] })
  const withRules = diffSystems(base, [candidate], { components: rules, map: [{ from: 'service twitch-video', to: 'service media' }] })
  const view = (r: typeof without) => r.pairs.map((p) => `${p.key} ${p.status} ${p.component}`).sort()
  expect(view(withRules)).toEqual(view(without))
  // Paired by the map rule: POST /videos ported inside the port, its extra /thumbnails in the service's component.
  expect(without.services!.rows.find((r) => r.service === 'twitch-video')!.candidates.new).toMatchObject({ service: 'media', ported: 2, of: 5 })
  expect(without.pairs.find((p) => p.key === 'GET /thumbnails')).toMatchObject({ status: 'extra', component: 'twitch-video' })
})
