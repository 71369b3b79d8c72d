/**
 * Capabilities on one fixture project per ecosystem (fixtures/capabilities/<ecosystem>/): the
 * capability items (with how far each is used, and where) and CAPABILITY_UNUSED diagnostics must
 * equal its expected.txt exactly.
 */
import { readFileSync, readdirSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { builtinExtractors } from '../src/extractors/registry.js'
import type { CapabilityItem, Inventory } from '../src/model/inventory.js'
import { scanPath } from '../src/scan/scan.js'
import { isTestFile } from '../src/scan/test-files.js'

const root = new URL('../fixtures/capabilities/', import.meta.url).pathname
const schema = JSON.parse(readFileSync(new URL('../schema/inventory.schema.json', import.meta.url), 'utf8'))
const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true }).compile(schema)

/** `capability <id> <component> <evidence,...> [<packages,...>] <usage>@<sites,...>` and `? CAPABILITY_UNUSED <manifest>:<line> <packages>`. */
function capabilityLines(inv: Inventory): string[] {
  const items = inv.items
    .filter((i): i is CapabilityItem => i.kind === 'capability')
    .map((i) =>
      [
        'capability',
        i.name,
        i.component,
        i.evidence.map((e) => `${e.file}:${e.line}`).join(','),
        i.packages.join(','),
        `${i.usage?.level}@${i.usage?.at.map((e) => `${e.file}:${e.line}`).join(',')}`,
      ]
        .join(' ')
        .replace(/\s+/g, ' '),
    )
  const unused = inv.diagnostics.filter((d) => d.code === 'CAPABILITY_UNUSED').map((d) => `? ${d.code} ${d.file}:${d.line} ${d.message.split(' (')[0]}`)
  return [...items, ...unused]
}

function expectedLines(dir: string): string[] {
  return readFileSync(`${dir}/expected.txt`, 'utf8')
    .split('\n')
    .map((l) =>
      l
        .replace(/\s+#.*$/, '')
        .trim()
        .replace(/\s+/g, ' '),
    )
    .filter((l) => l && !l.startsWith('//'))
}

describe.each(readdirSync(root))('capabilities fixture %s', (name) => {
  const dir = `${root}${name}`
  let inventory: Inventory
  beforeAll(async () => {
    inventory = await scanPath({ path: dir, extractors: builtinExtractors })
  })

  it('finds exactly the expected capabilities and unused declarations', () => {
    expect(capabilityLines(inventory).sort()).toEqual(expectedLines(dir).sort())
  })

  it('gives every capability its key, the first evidence as source, and the catalog impact', () => {
    const caps = inventory.items.filter((i): i is CapabilityItem => i.kind === 'capability')
    expect(caps.length).toBeGreaterThan(5)
    for (const c of caps) {
      expect(c.key).toBe(`capability ${c.name}`)
      expect(c.source).toEqual(c.evidence[0])
      expect(c.impact).toMatch(/^[A-Z].*\.$/)
    }
  })

  it('produces an inventory that follows the published JSON Schema', () => {
    expect(validate(JSON.parse(JSON.stringify(inventory))), JSON.stringify(validate.errors)).toBe(true)
  })
})

describe('isTestFile', () => {
  it.each([
    ['src/app.test.ts', true],
    ['src/__tests__/app.ts', true],
    ['tests/browser.rs', true],
    ['internal/auth/auth_test.go', true],
    ['app/test_auth.py', true],
    ['conftest.py', true],
    ['src/contest.ts', false],
    ['src/testing.go', false],
    ['app/latest.py', false],
  ])('%s -> %s', (path, expected) => {
    expect(isTestFile(path)).toBe(expected)
  })
})
