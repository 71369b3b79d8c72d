#!/usr/bin/env -S npx tsx
// Prints the route table of a fixture project in expected.txt form (no tags). Read it line by line
// against the fixture's code before saving it as expected.txt: it shows what parity finds, not what
// is right. Usage: npx tsx scripts/fixture-table.ts fixtures/extractors/<id>
import { inventoryLines } from '../src/scan/fixture-table.js'
import { scanPath } from '../src/scan/scan.js'

const dir = process.argv[2]
if (!dir) {
  console.error('usage: npx tsx scripts/fixture-table.ts fixtures/extractors/<id>')
  process.exit(2)
}
const inv = await scanPath({ path: dir, jobs: 1 })
console.log(inventoryLines(inv).join('\n'))
