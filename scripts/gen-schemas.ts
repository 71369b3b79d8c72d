#!/usr/bin/env -S npx tsx
// Writes the derived JSON Schemas: schema/config.schema.json (from the zod config schema) and
// schema/run.schema.json (embedding schema/inventory.schema.json's item definitions).
// `--check` fails when a committed file is out of date.
import { readFileSync, writeFileSync } from 'node:fs'
import { configJsonSchema, runJsonSchema } from '../src/config/json-schema.js'

const dir = new URL('../schema/', import.meta.url)
const inventory = JSON.parse(readFileSync(new URL('inventory.schema.json', dir), 'utf8'))
const files: Record<string, unknown> = { 'config.schema.json': configJsonSchema(), 'run.schema.json': runJsonSchema(inventory) }
let stale = false
for (const [name, schema] of Object.entries(files)) {
  const text = `${JSON.stringify(schema, null, 2)}\n`
  const url = new URL(name, dir)
  if (process.argv.includes('--check')) {
    let current = ''
    try {
      current = readFileSync(url, 'utf8')
    } catch {}
    if (current !== text) {
      console.error(`schema/${name} is out of date: run \`npx tsx scripts/gen-schemas.ts\``)
      stale = true
    }
  } else writeFileSync(url, text)
}
process.exit(stale ? 1 : 0)
