/**
 * Database schema read from real fixture projects: SQL migrations of golang-migrate, goose,
 * refinery and sqlx in PostgreSQL, MySQL and SQLite, a Prisma schema, and ORM models (schema facts
 * of an extractor) that migrations then alter.
 */
import { readFileSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { defineExtractor } from '../src/extractors/types.js'
import type { Inventory } from '../src/model/inventory.js'
import { scanPath } from '../src/scan/scan.js'

const fixture = (name: string) => new URL(`../fixtures/database/${name}`, import.meta.url).pathname
const schema = JSON.parse(readFileSync(new URL('../schema/inventory.schema.json', import.meta.url), 'utf8'))
const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true }).compile(schema)

/** One line per table (`table users sql migrations/x.sql:1`) and per column (`  email varchar? x.sql:3`, `?` when nullable). */
function schemaLines(inventory: Inventory): string[] {
  return inventory.items.flatMap((i) => {
    if (i.kind === 'table') return [`table ${i.name} ${i.origin} ${i.source.file}:${i.source.line}`]
    if (i.kind === 'column') return [`  ${i.name} ${i.type}${i.nullable ? '?' : ''} ${i.source.file}:${i.source.line}`]
    return []
  })
}

const databaseDiagnostics = (inventory: Inventory) =>
  inventory.diagnostics.filter((d) => d.code.startsWith('SQL_') || d.code.startsWith('PRISMA_')).map((d) => `${d.code} ${d.file}:${d.line} ${d.message}`)

async function scan(name: string, extractors?: Parameters<typeof scanPath>[0]['extractors']): Promise<Inventory> {
  const inventory = await scanPath({ path: fixture(name), jobs: 1, extractors })
  expect(validate(inventory), JSON.stringify(validate.errors)).toBe(true)
  return inventory
}

describe('database schema from SQL migrations', () => {
  it('golang-migrate, PostgreSQL: up files only, in order; renames, drops, alterations; a bad statement is reported and the rest applies', async () => {
    const inventory = await scan('golang-migrate')
    expect(schemaLines(inventory)).toEqual([
      'table articles sql migrations/0002_posts.up.sql:3',
      '  id integer migrations/0002_posts.up.sql:4',
      '  author_id bigint migrations/0002_posts.up.sql:5',
      '  title varchar migrations/0002_posts.up.sql:6',
      '  status post_status migrations/0002_posts.up.sql:7',
      '  published_at timestamp? migrations/0003_cleanup.up.sql:5',
      'table users sql migrations/0001_create_users.up.sql:1',
      '  id bigint migrations/0001_create_users.up.sql:2',
      '  email varchar? migrations/0001_create_users.up.sql:3',
      '  display_name varchar? migrations/0001_create_users.up.sql:4',
      '  created_at timestamp migrations/0001_create_users.up.sql:5',
    ])
    expect(databaseDiagnostics(inventory)).toEqual([
      'SQL_PARSE_ERROR migrations/0002_posts.up.sql:14 cannot parse "ALTER TABLE posts ..." as PostgreSQL, MySQL or SQLite: unexpected "N" at column 26',
    ])
    const email = inventory.items.find((i) => i.key === 'column users.email')
    expect(email).toMatchObject({ kind: 'column', component: 'database', table: 'users', name: 'email', origin: 'sql' })
    expect(inventory.items.find((i) => i.key === 'table articles')).toMatchObject({ kind: 'table', component: 'database', name: 'articles' })
  })

  it('goose, PostgreSQL: only the Up section; StatementBegin/End blocks are one statement', async () => {
    expect(schemaLines(await scan('goose'))).toEqual([
      'table accounts sql db/migrations/20240101120000_init.sql:2',
      '  id uuid db/migrations/20240101120000_init.sql:3',
      '  balance numeric db/migrations/20240101120000_init.sql:4',
      '  opened date? db/migrations/20240101120000_init.sql:5',
      '  owner text db/migrations/20240102090000_owner.sql:2',
      'table transfers sql db/migrations/20240102090000_owner.sql:3',
      '  id bigint db/migrations/20240102090000_owner.sql:3',
      '  amount numeric db/migrations/20240102090000_owner.sql:3',
      '  memo text? db/migrations/20240102090000_owner.sql:3',
    ])
  })

  it('refinery, MySQL: V10 applies after V2; CHANGE, MODIFY and RENAME TABLE', async () => {
    expect(schemaLines(await scan('refinery'))).toEqual([
      'table customers sql migrations/V1__init.sql:1',
      '  id integer migrations/V1__init.sql:2',
      '  email varchar migrations/V1__init.sql:3',
      '  notes text migrations/V1__init.sql:4',
      '  active smallint migrations/V1__init.sql:5',
      'table purchases sql migrations/V2__orders.sql:1',
      '  id bigint migrations/V2__orders.sql:2',
      '  customer_id integer migrations/V2__orders.sql:3',
      '  amount numeric migrations/V2__orders.sql:4',
      '  placed_at timestamp migrations/V2__orders.sql:5',
    ])
  })

  it('sqlx, SQLite: the table rebuild (create, copy, drop, rename) and RENAME COLUMN; temporary tables and down files ignored', async () => {
    expect(schemaLines(await scan('sqlx-sqlite'))).toEqual([
      'table notes sql migrations/20240102000000_rebuild.up.sql:2',
      '  id integer migrations/20240102000000_rebuild.up.sql:3',
      '  title text migrations/20240102000000_rebuild.up.sql:4',
      '  body text migrations/20240102000000_rebuild.up.sql:5',
      '  created timestamp? migrations/20240102000000_rebuild.up.sql:6',
    ])
  })
})

describe('database schema from Prisma', () => {
  it('models with @@map/@map (names as the database has them, case kept), optional fields, native types (String is text), enums; relation fields and views are not columns', async () => {
    const inventory = await scan('prisma')
    expect(schemaLines(inventory)).toEqual([
      'table likes prisma prisma/schema.prisma:44',
      '  userId integer prisma/schema.prisma:45',
      '  postId uuid prisma/schema.prisma:46',
      'table Post prisma prisma/schema.prisma:27',
      '  id uuid prisma/schema.prisma:28',
      '  title varchar prisma/schema.prisma:29',
      '  body text? prisma/schema.prisma:30',
      '  tags text[] prisma/schema.prisma:31',
      '  score double? prisma/schema.prisma:32',
      '  author_id integer prisma/schema.prisma:34',
      'table Profile prisma prisma/schema.prisma:38',
      '  userId integer prisma/schema.prisma:39',
      '  bio text? prisma/schema.prisma:40',
      'table users prisma prisma/schema.prisma:15',
      '  id integer prisma/schema.prisma:16',
      '  email text prisma/schema.prisma:17',
      '  full_name text? prisma/schema.prisma:18',
      '  role role prisma/schema.prisma:19',
      '  created_at timestamp prisma/schema.prisma:22',
    ])
    expect(databaseDiagnostics(inventory)).toEqual([
      'PRISMA_PARSE_ERROR prisma/broken.prisma:1 cannot parse the Prisma schema: model Draft is not closed with "}"',
    ])
  })
})

describe('database schema from ORM models', () => {
  // An extractor of the public contract that reports the model of src/models.ts as a schema fact.
  const orm = defineExtractor({
    id: 'test-orm',
    family: 'js',
    detect: () => true,
    needles: ['columns'],
    extract(file) {
      const pairs = file.root.findAll({
        rule: { kind: 'pair', inside: { kind: 'object', inside: { kind: 'pair', has: { field: 'key', regex: '^columns$' } } } },
      })
      const columns = pairs.map((p) => ({
        name: p.field('key')!.text(),
        type: p.field('value')!.text().slice(1, -1),
        nullable: true,
        line: p.range().start.line + 1,
      }))
      const table = file.root.find({
        rule: { kind: 'string_fragment', inside: { kind: 'string', inside: { kind: 'pair', has: { field: 'key', regex: '^table$' } } } },
      })
      return { schema: [{ op: 'create-table', table: table!.text(), columns, line: 2, origin: 'test-orm' }] }
    },
  })

  it('applies models first, then the migrations that alter them; CREATE TABLE IF NOT EXISTS keeps the model', async () => {
    expect(schemaLines(await scan('orm-then-sql', [orm]))).toEqual([
      'table invoices test-orm src/models.ts:2',
      '  id integer? src/models.ts:2',
      '  number varchar? src/models.ts:2',
      '  paid boolean src/models.ts:2',
      '  due_on date migrations/001_invoices.sql:1',
    ])
  })
})
