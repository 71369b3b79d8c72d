#!/usr/bin/env node
// Scaffolds a framework extractor: src/extractors/<id>/extractor.ts from a template, a fixture
// folder with an empty expected.txt, then regenerates the registry.
// Usage: node scripts/new-extractor.mjs <id> <js|rust|go|python> [dependency]
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [id, family, dependency = id] = process.argv.slice(2)
if (!id || !/^[a-z][a-z0-9-]*$/.test(id) || !['js', 'rust', 'go', 'python'].includes(family ?? '')) {
  console.error('usage: node scripts/new-extractor.mjs <id: kebab-case> <js|rust|go|python> [dependency]')
  process.exit(2)
}
const repo = new URL('..', import.meta.url).pathname
const dir = join(repo, 'src/extractors', id)
if (existsSync(dir)) {
  console.error(`src/extractors/${id} exists already`)
  process.exit(2)
}
mkdirSync(dir, { recursive: true })
writeFileSync(
  join(dir, 'extractor.ts'),
  `/**
 * ${id}: <link to the framework's routing documentation>
 */
import { defineExtractor, type FileFacts } from '../types.js'

export const extractor = defineExtractor({
  id: '${id}',
  family: '${family}',
  docs: '',
  detect: (m) => m.dependencies.has('${dependency}'),
  needles: [],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [] }
    // file.root is the syntax tree (ast-grep); report routes on owners, mounts between owners,
    // and anything unsupported through ctx.diagnose().
    void file
    void ctx
    return facts
  },
})
`,
)
const fixture = join(repo, 'fixtures/extractors', id)
mkdirSync(fixture, { recursive: true })
writeFileSync(join(fixture, 'expected.txt'), `// ${id}: METHOD PATH KIND FILE:LINE [HANDLER], then ! diagnostics; tag each conformance case.\n`)
execFileSync(process.execPath, [join(repo, 'scripts/gen-registry.mjs')], { stdio: 'inherit' })
console.log(`created src/extractors/${id}/extractor.ts and fixtures/extractors/${id}/; write the fixture project, then:
  npx tsx scripts/fixture-table.ts fixtures/extractors/${id}
  npx vitest run test/conformance.test.ts -t ${id}`)
