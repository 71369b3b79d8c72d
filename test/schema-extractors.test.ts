/**
 * Every schema extractor (ORM models, migrations written in code) against its fixture project under
 * fixtures/schema/<id>/: the steps, tables and columns it reports, in order, must equal expected.txt
 * exactly (see test/support/schema-facts.ts for the line format; `//` lines are comments).
 */
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { builtinExtractors } from '../src/extractors/registry.js'
import { schemaLines } from './support/schema-facts.js'

const fixtureRoot = new URL('../fixtures/schema/', import.meta.url).pathname
const schemaExtractors = builtinExtractors.filter((x) => x.provides?.includes('schema'))

function expectedLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('//'))
    .map((l) => l.trimEnd())
}

it('there is a schema extractor for every ORM the migration map reads', () => {
  expect(schemaExtractors.map((x) => x.id).sort()).toEqual(
    expect.arrayContaining(['diesel', 'django-models', 'drizzle', 'gorm', 'knex', 'sea-orm', 'sequelize', 'sqlalchemy', 'typeorm']),
  )
})

describe.each(schemaExtractors.map((x) => [x.id] as const))('schema extractor %s', (id) => {
  const dir = `${fixtureRoot}${id}`
  it('has a fixture project with an expected schema', () => {
    expect(existsSync(`${dir}/expected.txt`), `${dir}/expected.txt is missing`).toBe(true)
  })
  it('reports exactly the expected tables, columns and steps, in order', () => {
    if (!existsSync(`${dir}/expected.txt`)) return
    expect(schemaLines(dir)).toEqual(expectedLines(`${dir}/expected.txt`))
  })
})
