/**
 * Every schema extractor (ORM models, migrations written in code) against its fixture project under
 * fixtures/schema/<id>/: the steps, tables and columns it reports, in order, must equal expected.txt
 * exactly (see test/support/schema-facts.ts for the line format; `//` lines are comments).
 */
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { builtinExtractors } from '../src/extractors/registry.js'
import type { ColumnItem } from '../src/model/inventory.js'
import { scanPath } from '../src/scan/scan.js'
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

/** End to end: the facts above, turned into table and column items by the scan (src/scan/database.ts). */
const TABLES: Record<string, string[]> = {
  diesel: ['analytics.events', 'blog_posts', 'users'],
  'django-models': ['articles', 'blog_author', 'blog_featuredarticle', 'blog_tag', 'catalog_product'],
  drizzle: ['posts', 'sessions', 'users'],
  gorm: ['companies', 'order_categories', 'purchase_orders', 'users'],
  knex: ['articles', 'users'],
  'sea-orm': ['bakery.baker', 'cake'],
  sequelize: ['app_settings', 'audit_logs', 'categories', 'order_lines', 'users'],
  sqlalchemy: ['audit_log', 'posts', 'users'],
  typeorm: ['audit_entry', 'comments', 'posts', 'user_profile', 'users'],
}

describe.each(Object.entries(TABLES))('scan of fixtures/schema/%s', (id, tables) => {
  it('gives one table item per table the models and migrations leave', async () => {
    const inventory = await scanPath({ path: `${fixtureRoot}${id}`, extractors: builtinExtractors })
    const keys = inventory.items.filter((i) => i.kind === 'table').map((i) => i.key)
    expect(keys.sort()).toEqual(tables.map((t) => `table ${t}`))
  })
})

it('applies knex migrations in order: renames, alterations and drops reach the column items', async () => {
  const inventory = await scanPath({ path: `${fixtureRoot}knex`, extractors: builtinExtractors })
  const columns = inventory.items
    .filter((i): i is ColumnItem => i.kind === 'column' && i.table === 'users')
    .map((c) => `${c.name} ${c.type} ${c.nullable ? 'null' : 'not-null'} ${c.source.file}:${c.source.line}`)
  expect(columns).toEqual([
    'id integer not-null migrations/20240101000000_init.js:4',
    'email text not-null migrations/20240101000000_init.js:5',
    'display_name varchar null migrations/20240101000000_init.js:6',
    'created_at timestamp not-null migrations/20240101000000_init.js:8',
    'updated_at timestamp not-null migrations/20240101000000_init.js:8',
    'avatar_url varchar null migrations/20240201000000_rename.ts:6',
  ])
})

it('normalises ORM types on the column items (Django field classes, GORM Go types)', async () => {
  const types = async (id: string, table: string) =>
    (await scanPath({ path: `${fixtureRoot}${id}`, extractors: builtinExtractors })).items
      .filter((i): i is ColumnItem => i.kind === 'column' && i.table === table)
      .map((c) => `${c.name}:${c.type}${c.nullable ? '?' : ''}`)
  expect(await types('django-models', 'blog_author')).toEqual(['id:bigint', 'created:timestamp', 'modified:timestamp', 'name:varchar', 'email:varchar?'])
  expect(await types('gorm', 'users')).toEqual([
    'id:bigint',
    'created_at:timestamp',
    'updated_at:timestamp',
    'deleted_at:timestamp?',
    'name:varchar',
    'mail:text?',
    'age:smallint',
    'birthday:timestamp?',
    'company_id:bigint',
  ])
})
