/**
 * Live introspection against a real PostgreSQL server this test starts (initdb into a temp dir,
 * pg_ctl on 127.0.0.1 with a free port) and a real SQLite file it creates. Each database is built
 * by running a fixture's migrations, and must read as the static scan of those migrations does.
 */
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { introspectDatabase } from '../src/database/introspect.js'
import { splitStatements } from '../src/database/statements.js'
import type { Item } from '../src/model/inventory.js'
import { isParityError } from '../src/model/errors.js'
import { scanPath } from '../src/scan/scan.js'

const fixture = (name: string) => new URL(`../fixtures/database/${name}`, import.meta.url).pathname

/**
 * `key type` (the database type, with its length and zone) with `?` when nullable, and its foreign
 * key: what a live database and its migrations must agree on.
 */
const shape = (items: Item[]) =>
  items.flatMap((i) => {
    if (i.kind === 'table') return [`${i.key}${i.primaryKey ? ` (${i.primaryKey.join(', ')})` : ''}`]
    if (i.kind !== 'column') return []
    const ref = i.references ? ` -> ${i.references.table}.${i.references.column} ${i.references.onDelete}/${i.references.onUpdate}` : ''
    return [`${i.key} ${i.dbType ?? i.type}${i.nullable ? '?' : ''}${ref}`]
  })

/** The up migrations of a fixture, in the order the scan applies them. */
function upMigrations(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql') && !f.endsWith('.down.sql'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
}

async function staticShape(name: string): Promise<string[]> {
  return shape((await scanPath({ path: fixture(name), jobs: 1 })).items)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function expectUnreachable(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(isParityError(error) && error.code).toBe('DB_UNREACHABLE')
  expect(isParityError(error) && error.hint).toBeTruthy()
}

describe('live PostgreSQL', () => {
  let dir = ''
  let data = ''
  let bin = ''
  let url = ''
  // PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
  const asPostgres = (cmd: string, args: string[]) =>
    process.getuid?.() === 0 ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' })

  beforeAll(async () => {
    const versions = existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql').filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))
      : []
    if (!versions.length) {
      throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y --no-install-recommends postgresql')
    }
    bin = `/usr/lib/postgresql/${versions.sort((a, b) => Number(b) - Number(a))[0]}/bin`
    dir = mkdtempSync(join(tmpdir(), 'parity-pg-'))
    data = join(dir, 'data')
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
      chownSync(dir, uid, gid)
    }
    asPostgres(`${bin}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
    const port = await freePort()
    asPostgres(`${bin}/pg_ctl`, [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '30',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ])
    url = `postgres://postgres@127.0.0.1:${port}/postgres`

    // The golang-migrate fixture's up migrations, statement by statement: its one bad statement fails here too.
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      for (const text of upMigrations(join(fixture('golang-migrate'), 'migrations'))) {
        for (const statement of splitStatements(text)) await client.query(statement.text).catch(() => {})
      }
      await client.query('CREATE SCHEMA billing')
      await client.query('CREATE TABLE billing.invoices (id uuid PRIMARY KEY, amount numeric(10, 2))')
      await client.query('CREATE VIEW recent_articles AS SELECT id, title FROM articles')
    } finally {
      await client.end()
    }
  })

  afterAll(() => {
    if (data && existsSync(join(data, 'postmaster.pid'))) asPostgres(`${bin}/pg_ctl`, ['-D', data, '-m', 'immediate', '-w', 'stop'])
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('reads tables and columns as the static scan of the same migrations does; other schemas keep their name, views are not tables', async () => {
    const items = await introspectDatabase(url)
    const invoices = ['table billing.invoices (id)', 'column billing.invoices.id uuid', 'column billing.invoices.amount numeric(10,2)?']
    const migrated = await staticShape('golang-migrate')
    expect(migrated).toContain('column articles.author_id bigint -> users.id NO ACTION/NO ACTION')
    const users = migrated.indexOf('table users (id)')
    expect(users).toBeGreaterThan(0)
    expect(shape(items)).toEqual([...migrated.slice(0, users), ...invoices, ...migrated.slice(users)])
    expect(items.find((i) => i.key === 'column users.email')).toEqual({
      kind: 'column',
      key: 'column users.email',
      component: 'database',
      table: 'users',
      name: 'email',
      type: 'varchar',
      dbType: 'varchar(255)',
      nullable: true,
      origin: 'postgres',
      source: { file: url.replace('postgres@', ''), line: 1 },
    })
  })

  it('a server that does not answer is DB_UNREACHABLE, within the connect timeout', async () => {
    await expectUnreachable(introspectDatabase(`postgres://postgres@127.0.0.1:${await freePort()}/postgres`))
    // A non-routable address: without a bounded connect timeout this would hang.
    await expectUnreachable(introspectDatabase('postgres://postgres@10.255.255.1:5432/postgres', { timeoutMs: 500 }))
  })
})

describe('live SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parity-sqlite-'))
  const file = join(dir, 'notes.db')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads tables and columns as the static scan of the same migrations does, under every URL form', async () => {
    const db = new Database(file)
    for (const text of upMigrations(join(fixture('sqlx-sqlite'), 'migrations'))) db.exec(text)
    db.close()
    const expected = await staticShape('sqlx-sqlite')
    expect(expected.length).toBeGreaterThan(1)
    for (const url of [`sqlite:${file}`, `sqlite://${file}`, `file://${file}`]) {
      const items = await introspectDatabase(url)
      expect(shape(items)).toEqual(expected)
      expect(items[0]).toMatchObject({ kind: 'table', origin: 'sqlite', source: { file, line: 1 } })
    }
  })

  it('a file that does not exist is DB_UNREACHABLE, and is not created', async () => {
    await expectUnreachable(introspectDatabase(`sqlite:${join(dir, 'missing.db')}`))
    expect(existsSync(join(dir, 'missing.db'))).toBe(false)
  })

  it('an unsupported URL is an error with a hint', async () => {
    const error = await introspectDatabase('mongodb://localhost/app').catch((e: unknown) => e)
    expect(isParityError(error) && error.code).toBe('DB_URL_UNSUPPORTED')
  })
})
