/**
 * Services of a monorepo, on two fixture trees written for it: fixtures/services/monorepo (a Node
 * gateway with a nested admin service, a Rust axum service, a Go gin service under cmd/ beside a
 * command-line tool (named after its module, the only service in it), a FastAPI app, a Django project, a library package and a workspace root that
 * are not services) and fixtures/services/edge (a Go main at a module root, a start script that
 * runs built output, two services named `api`, a library crate, two Flask apps under one manifest).
 */
import { readFileSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Inventory, ServiceItem } from '../src/model/inventory.js'
import { scanPath } from '../src/scan/scan.js'
import { summarizeServices } from '../src/scan/services.js'

const fixtures = new URL('../fixtures/services/', import.meta.url).pathname
const schema = JSON.parse(readFileSync(new URL('../schema/inventory.schema.json', import.meta.url), 'utf8'))
const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true }).compile(schema)
const services = (inv: Inventory) => inv.items.filter((i): i is ServiceItem => i.kind === 'service')

describe('services of a monorepo', () => {
  let inv: Inventory
  beforeAll(async () => {
    inv = await scanPath({ path: `${fixtures}monorepo`, jobs: 1 })
  })

  it('finds every deployable service, with language, framework, size, routes and port', () => {
    expect(services(inv)).toEqual([
      {
        kind: 'service',
        key: 'service billing',
        component: 'billing',
        source: { file: 'services/billing/Cargo.toml', line: 1 },
        name: 'billing',
        language: 'rust',
        framework: 'axum',
        root: 'services/billing',
        lines: 26,
        routes: 3,
        port: 8020,
      },
      {
        kind: 'service',
        key: 'service gateway',
        component: 'gateway',
        source: { file: 'services/gateway/package.json', line: 1 },
        name: 'gateway',
        language: 'javascript',
        framework: 'express',
        root: 'services/gateway',
        lines: 21,
        routes: 4,
        port: 8016,
      },
      {
        kind: 'service',
        key: 'service admin',
        component: 'admin',
        source: { file: 'services/gateway/admin/package.json', line: 1 },
        name: 'admin',
        language: 'typescript',
        framework: 'fastify',
        root: 'services/gateway/admin',
        lines: 9,
        routes: 2,
        port: 8017,
      },
      {
        kind: 'service',
        key: 'service inventory',
        component: 'inventory',
        source: { file: 'services/inventory/cmd/inventory-api/main.go', line: 10 },
        name: 'inventory',
        language: 'go',
        framework: 'gin',
        root: 'services/inventory/cmd/inventory-api',
        lines: 33,
        routes: 2,
        port: 8030,
      },
      {
        kind: 'service',
        key: 'service reports',
        component: 'reports',
        source: { file: 'services/reports/manage.py', line: 1 },
        name: 'reports',
        language: 'python',
        framework: 'django',
        root: 'services/reports',
        lines: 28,
        routes: 1,
        port: 8050,
      },
      {
        kind: 'service',
        key: 'service search-api',
        component: 'search-api',
        source: { file: 'services/search/app/main.py', line: 6 },
        name: 'search-api',
        language: 'python',
        framework: 'fastapi',
        root: 'services/search',
        lines: 17,
        routes: 1,
        port: 8040,
      },
    ])
  })

  it('counts a nested service apart: the gateway lines and routes exclude its admin service', () => {
    const gateway = services(inv).find((s) => s.name === 'gateway')!
    const admin = services(inv).find((s) => s.name === 'admin')!
    const endpoints = inv.items.filter((i) => i.kind === 'route')
    expect(gateway.routes + admin.routes).toBe(endpoints.filter((e) => e.source.file.startsWith('services/gateway/')).length)
  })

  it('says which port it took when a service listens on several', () => {
    expect(inv.diagnostics.filter((d) => d.code === 'SEVERAL_PORTS')).toEqual([
      {
        level: 'info',
        code: 'SEVERAL_PORTS',
        file: 'services/gateway/src/server.js',
        line: 7,
        message: 'service gateway listens on several ports: 8016 is taken (the first in its entry files), also 9100 (services/gateway/src/server.js:12)',
      },
    ])
  })

  it('produces an inventory that follows the published JSON Schema', () => {
    expect(validate(JSON.parse(JSON.stringify(inv))), JSON.stringify(validate.errors)).toBe(true)
  })

  it('summarises services by language and by target languages', () => {
    expect(summarizeServices(inv.items, ['rust', 'go'])).toEqual({
      total: 6,
      byLanguage: [
        { language: 'python', services: 2 },
        { language: 'go', services: 1 },
        { language: 'javascript', services: 1 },
        { language: 'rust', services: 1 },
        { language: 'typescript', services: 1 },
      ],
      targets: ['rust', 'go'],
      inTargets: 2,
    })
    expect(summarizeServices(inv.items.filter((i) => i.kind !== 'service'))).toEqual({ total: 0, byLanguage: [], targets: [], inTargets: 0 })
  })
})

describe('services: edge cases', () => {
  let inv: Inventory
  beforeAll(async () => {
    inv = await scanPath({ path: `${fixtures}edge`, jobs: 1 })
  })

  it('finds a main package at a module root, maps built output to sources, follows an imported port, tells two `api` services apart by language', () => {
    expect(services(inv).map((s) => [s.name, s.language, s.framework, s.root, s.source.file, s.source.line, s.lines, s.routes, s.port])).toEqual([
      ['edge', 'go', 'nethttp', '.', 'main.go', 11, 16, 1, 9000],
      ['api-typescript', 'typescript', 'hono', 'api', 'api/package.json', 1, 11, 1, 8081],
      ['alpha', 'python', 'flask', 'py/alpha', 'py/alpha/app.py', 3, 9, 1, 5000],
      ['beta', 'python', 'flask', 'py/beta', 'py/beta/app.py', 4, 14, 1, 5001],
      // warp is read since it has an extractor: `warp::path("hello").map(..)` is its one route.
      ['api-rust', 'rust', 'warp', 'workers/api', 'workers/api/Cargo.toml', 1, 8, 1, 3030],
    ])
    expect(inv.diagnostics.filter((d) => d.code === 'SEVERAL_PORTS')).toEqual([])
  })
})
