#!/usr/bin/env node
// Writes docs/config.md, the config reference, from schema/config.schema.json (itself generated from
// the zod schema): one row per field, with its type and description. `--check` fails when the
// committed file is out of date.
import { readFileSync, writeFileSync } from 'node:fs'

const root = new URL('..', import.meta.url)
const schema = JSON.parse(readFileSync(new URL('schema/config.schema.json', root), 'utf8'))

function typeOf(s) {
  if (!s) return ''
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``
  if (s.enum) return s.enum.map((e) => `\`${e}\``).join(' \\| ')
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ')
  if (s.type === 'array') return `list of ${typeOf(s.items) || 'values'}`
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties)
    return `map of ${typeOf(s.additionalProperties)}`
  if (s.type === 'object') return 'object'
  return s.type ?? ''
}

const rows = []
function walk(s, path) {
  if (!s) return
  const target = s.type === 'array' ? s.items : s.anyOf ? (s.anyOf.find((x) => x.type === 'object' && x.properties) ?? s) : s
  if (!target?.properties) return
  const required = new Set(target.required ?? [])
  for (const [name, child] of Object.entries(target.properties)) {
    if (name === '$schema') continue
    const p = path ? `${path}${s.type === 'array' ? '[]' : ''}.${name}` : name
    rows.push([p, typeOf(child), required.has(name) ? 'yes' : '', (child.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ')])
    walk(child, p)
  }
}
walk(schema, '')

const text = `# Config reference

\`parity.config.ts\` (\`export default defineConfig({...})\` from \`parity\`) or \`parity.config.yaml\`. Paths
are relative to the config file. Generated from the schema by \`node scripts/gen-config-docs.mjs\`;
editors complete and check YAML configs with \`# yaml-language-server: $schema=<path>/schema/config.schema.json\`.

| Field | Type | Required | What it is |
| --- | --- | --- | --- |
${rows.map((r) => `| \`${r[0]}\` | ${r[1]} | ${r[2]} | ${r[3]} |`).join('\n')}
`
const out = new URL('docs/config.md', root)
if (process.argv.includes('--check')) {
  let current = ''
  try {
    current = readFileSync(out, 'utf8')
  } catch {}
  if (current !== text) {
    console.error('docs/config.md is out of date: run `node scripts/gen-config-docs.mjs`')
    process.exit(1)
  }
} else writeFileSync(out, text)
