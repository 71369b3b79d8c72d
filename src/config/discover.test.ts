import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { Item } from '../model/inventory.js'
import { assignRoles, findSystems, folderStem, type FoundSystem } from './discover.js'

function tree(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'parity-discover-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true })
    writeFileSync(join(dir, f), f.endsWith('.json') ? '{}' : '')
  }
  return dir
}

const route = (path: string): Item => ({ kind: 'route', key: `GET ${path}`, method: 'GET', path, component: 'x', source: { file: 'a', line: 1 } }) as Item
const service = (name: string): Item => ({ kind: 'service', key: `service ${name}`, name, component: 'x', source: { file: 'a', line: 1 } }) as Item

describe('findSystems', () => {
  it('takes a folder of one language as one system, a workspace root as one, and a lone manifest as itself', () => {
    const dir = tree(['ts/package.json', 'ts/services/a/package.json', 'go-services/a/go.mod', 'go-services/b/go.mod', 'tools/cli/Cargo.toml'])
    expect(findSystems(dir).map((s) => [s.name, s.source, s.language, s.manifests])).toEqual([
      ['go', './go-services', 'go', 2],
      ['cli', './tools/cli', 'rust', 1],
      ['ts', './ts', 'typescript', 1],
    ])
  })
  it('splits a folder of several languages into its parts', () => {
    const dir = tree(['apps/web/package.json', 'apps/api-go/go.mod'])
    expect(findSystems(dir).map((s) => s.source)).toEqual(['./apps/api-go', './apps/web'])
  })
})

describe('assignRoles', () => {
  const sys = (name: string, language: string): FoundSystem => ({ name, source: `./${name}`, language, manifests: 1 })
  it('chooses the TypeScript system with the most routes, not the first', () => {
    const systems = [sys('a-tool', 'typescript'), sys('platform', 'typescript'), sys('platform-rs', 'rust')]
    const items: Record<string, Item[]> = { 'a-tool': [route('/x')], platform: [route('/a'), route('/b')], 'platform-rs': [route('/a')] }
    const roles = assignRoles(systems, (s) => items[s.name] ?? [])
    expect(roles.map((r) => [r.name, r.role])).toEqual([
      ['a-tool', 'peer'],
      ['platform', 'baseline'],
      ['platform-rs', 'candidate'],
    ])
    expect(roles[1]!.why).toBe('the TypeScript/JavaScript system with the most routes, of 2 TypeScript/JavaScript systems')
  })
  it('without a rewrite named like the baseline, every other system is a candidate (as before)', () => {
    const systems = [sys('express-api', 'typescript'), sys('axum-api', 'rust'), sys('gin-api', 'go')]
    const roles = assignRoles(systems, (s) => (s.name === 'express-api' ? [route('/a'), service('express-api')] : [route('/a')]))
    expect(roles.map((r) => r.role)).toEqual(['baseline', 'candidate', 'candidate'])
    expect(roles[1]!.why).toContain('make it `role: peer` if it is a sister platform')
  })
  it('folder stems drop the language, role and grouping words', () => {
    expect([folderStem('shop-rs'), folderStem('shop-ts'), folderStem('go-services'), folderStem('marketplace-go')]).toEqual(['shop', 'shop', '', 'marketplace'])
  })
})
