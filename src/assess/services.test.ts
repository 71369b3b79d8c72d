import { expect, it } from 'vitest'
import { systemInventory } from '../../test/support/inventories.js'
import { diffSystems } from '../match/diff.js'
import type { EndpointItem, ServiceItem } from '../model/inventory.js'

const service = (name: string, language: ServiceItem['language']): ServiceItem => ({
  kind: 'service',
  key: `service ${name}`,
  name,
  component: name,
  source: { file: 'package.json', line: 1 },
  language,
  root: '.',
  lines: 10,
  routes: 2,
})
const route = (path: string): EndpointItem => ({
  kind: 'route',
  method: 'GET',
  path,
  key: `GET ${path}`,
  framework: 'x',
  component: 'api',
  source: { file: 'app', line: 1 },
})

it('counts every endpoint of a tree of one service as that service’s (its items carry no service)', () => {
  const r = diffSystems(systemInventory('old', 'baseline', [service('api', 'typescript'), route('/a'), route('/b')]), [
    systemInventory('new', 'candidate', [service('api-rs', 'rust'), route('/a')]),
  ])
  expect(r.services?.rows[0]?.candidates.new).toMatchObject({ status: 'partly', service: 'api-rs', language: 'rust', ported: 1, of: 2, percent: 50 })
  expect(r.services?.headline).toBe('Rust 1 of 1 service')
  expect(r.services?.byLanguage).toEqual([{ language: 'rust', withPort: 1, migrated: 0, partly: 1, endpoints: { ported: 1, verified: 0, of: 2, percent: 50 } }])
  expect(r.services?.endpoints?.new).toEqual({
    language: 'rust',
    ported: 1,
    verified: 0,
    of: 2,
    percent: 50,
    inPorted: { services: 1, ported: 1, of: 2, percent: 50, missing: 1 },
    extra: 0,
  })
})
