/**
 * The one conformance suite every route extractor runs (as hono's routers share one suite): each
 * extractor has a fixture project under fixtures/extractors/<id>/ whose route table must equal its
 * expected.txt exactly, and which demonstrates every case below, or skips it with a written reason.
 */
import { existsSync, readFileSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Inventory } from '../src/model/inventory.js'
import { builtinExtractors } from '../src/extractors/registry.js'
import { inventoryLines, parseExpected } from '../src/scan/fixture-table.js'
import { scanPath } from '../src/scan/scan.js'

/** The cases, as tags on expected.txt lines. */
const CASES: Record<string, string> = {
  param: 'a path parameter, written {name}',
  methods: 'several methods on one path',
  'prefix-across-files': 'a prefix mounted in another file than the route',
  constant: 'a path held in a constant',
  wildcard: 'a wildcard or catch-all parameter',
  unresolved: 'a path that cannot be resolved statically (an UNRESOLVED_PATH diagnostic)',
  'syntax-error': 'a file with a syntax error (a PARSE_ERROR diagnostic)',
}

const fixtureRoot = new URL('../fixtures/extractors/', import.meta.url).pathname
const schema = JSON.parse(readFileSync(new URL('../schema/inventory.schema.json', import.meta.url), 'utf8'))
const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true }).compile(schema)

const routeExtractors = builtinExtractors.filter((x) => (x.provides ?? ['routes']).includes('routes'))
const schemaOnly = builtinExtractors.filter((x) => !routeExtractors.includes(x) && x.provides?.includes('schema'))
// MCP extractors (provides: ['mcp']) report tools, not routes: test/mcp-extractors.test.ts checks each fixture.

// Skipped here, with the reason: these extractors produce no routes, only schema facts, and each is
// checked against its own fixture under fixtures/schema/<id>/ by test/schema-extractors.test.ts.
describe.each(schemaOnly.map((x) => [x.id] as const))('schema extractor %s (no routes: checked by test/schema-extractors.test.ts)', (id) => {
  it('has a schema fixture project instead of a route fixture', () => {
    expect(existsSync(new URL(`../fixtures/schema/${id}/expected.txt`, import.meta.url).pathname)).toBe(true)
  })
})

describe.each(routeExtractors.map((x) => [x.id, x] as const))('extractor %s', (id) => {
  const dir = `${fixtureRoot}${id}`
  const expectedFile = `${dir}/expected.txt`

  it('has a fixture project with an expected table', () => {
    expect(existsSync(expectedFile), `${expectedFile} is missing`).toBe(true)
  })
  if (!existsSync(expectedFile)) return
  const expected = parseExpected(readFileSync(expectedFile, 'utf8'))
  let inventory: Inventory
  beforeAll(async () => {
    inventory = await scanPath({ path: dir, extractors: builtinExtractors })
  })

  it('produces an inventory that follows the published JSON Schema', () => {
    expect(validate(JSON.parse(JSON.stringify(inventory))), JSON.stringify(validate.errors)).toBe(true)
  })

  it('finds exactly the expected routes and diagnostics', () => {
    expect(inventoryLines(inventory).sort()).toEqual([...expected.lines].sort())
  })

  it.each(Object.entries(CASES))('demonstrates %s (%s)', (tag) => {
    const skip = expected.skips.get(tag)
    if (skip) {
      expect(skip.length, `skip ${tag} needs a reason`).toBeGreaterThan(10)
      return
    }
    const lines = expected.tags.get(tag) ?? []
    expect(lines.length, `no line of ${id}/expected.txt is tagged #${tag}`).toBeGreaterThan(0)
    for (const line of lines) {
      if (tag === 'param' || tag === 'wildcard') expect(line).toMatch(/\{\w+\}|\{\*\}/)
      if (tag === 'unresolved') expect(line).toMatch(/^! UNRESOLVED_PATH /)
      if (tag === 'syntax-error') expect(line).toMatch(/^! PARSE_ERROR /)
    }
    if (tag === 'methods') {
      const paths = lines.map((l) => l.split(' ')[1])
      const methodsByPath = new Map<string, Set<string>>()
      lines.forEach((l, i) => methodsByPath.set(paths[i]!, (methodsByPath.get(paths[i]!) ?? new Set()).add(l.split(' ')[0]!)))
      expect([...methodsByPath.values()].some((m) => m.size >= 2)).toBe(true)
    }
  })
})
