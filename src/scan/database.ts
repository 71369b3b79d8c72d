import { readFileSync, statSync } from 'node:fs'
import { readPrismaSchema } from '../database/prisma.js'
import { SchemaState, type SchemaStep } from '../database/schema.js'
import { readSqlMigration } from '../database/sql.js'
import type { ColumnItem, TableItem } from '../model/inventory.js'
import { normalizeColumnType } from '../model/column-type.js'
import type { InventoryContext } from './context.js'
import { fsDiagnostic } from './walk.js'

/** A schema file larger than this is a data dump, not a migration. */
const MAX_SCHEMA_BYTES = 16 * 1024 * 1024

/**
 * Tables and columns from the ORM models extractors report, Prisma schemas and SQL migrations.
 * Models come first (records in path order, then `.prisma` files), then migrations in version
 * order: what the migrations do to the database has the last word.
 */
export function readDatabaseSchema(ctx: InventoryContext): Array<TableItem | ColumnItem> {
  const state = new SchemaState()
  // A statement the SQL parser read without a table name (`create table empty();`) is reported, never a crash.
  const applyStep = (s: SchemaStep) => {
    if (typeof s.table === 'string' && s.table !== '') state.apply(s)
    else
      ctx.diagnostics.push({
        level: 'info',
        code: 'SCHEMA_STATEMENT_UNREAD',
        file: s.file,
        line: s.line,
        message: `a ${s.op.replace('-', ' ')} statement names no table parity can read; it is left out of the schema`,
      })
  }
  const apply = (steps: SchemaStep[]) => steps.forEach(applyStep)
  const withSchema = ctx.records.filter((r) => r.facts.schema?.length)
  for (const record of withSchema.sort((a, b) => compareVersions(a.path, b.path))) {
    for (const fact of record.facts.schema!) {
      const columns = fact.columns?.map((c) => ({ ...c, type: normalizeColumnType(c.type) }))
      applyStep({ ...fact, columns, file: record.path })
    }
  }
  const files = [...ctx.schemaFiles].sort(compareVersions)
  for (const file of files.filter((f) => f.endsWith('.prisma'))) {
    const text = read(ctx, file)
    if (text !== undefined) apply(readPrismaSchema(file, text, ctx.diagnostics))
  }
  for (const file of files.filter((f) => f.endsWith('.sql') && isUpMigration(f))) {
    const text = read(ctx, file)
    if (text !== undefined) apply(readSqlMigration(file, text, ctx.diagnostics))
  }
  return state.items()
}

/** golang-migrate and sqlx `x.down.sql`, diesel `down.sql`, Flyway undo `U2__x.sql` revert a migration. */
function isUpMigration(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase()
  if (base.endsWith('.down.sql') || base === 'down.sql') return false
  const undo = base.indexOf('__')
  return !(base.startsWith('u') && undo > 1 && [...base.slice(1, undo)].every((c) => (c >= '0' && c <= '9') || c === '.' || c === '_'))
}

const collator = new Intl.Collator('en', { numeric: true })

/** Path order, with numbers compared as numbers: `V2__x.sql` before `V10__y.sql`. */
function compareVersions(a: string, b: string): number {
  return collator.compare(a, b)
}

function read(ctx: InventoryContext, file: string): string | undefined {
  try {
    const size = statSync(`${ctx.abs}/${file}`).size
    if (size > MAX_SCHEMA_BYTES) {
      ctx.diagnostics.push({
        level: 'warn',
        code: 'SCHEMA_TOO_LARGE',
        file,
        message: `${file} is ${Math.round(size / 1048576)} MB: read as a data dump, not a migration; skipped`,
      })
      return undefined
    }
    return readFileSync(`${ctx.abs}/${file}`, 'utf8')
  } catch (e) {
    ctx.diagnostics.push(fsDiagnostic(e, file))
    return undefined
  }
}
