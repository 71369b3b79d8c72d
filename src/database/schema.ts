/**
 * A database schema built by applying steps in order (ORM models, migrations), then listed as
 * inventory items. Shared by the static reading of a tree and the live introspection.
 */
import type { SchemaFact } from '../extractors/types.js'
import type { ColumnItem, ForeignKeyAction, SourceLocation, TableItem } from '../model/inventory.js'

export interface ColumnStep {
  name: string
  /** Normalised type family; absent when an alteration leaves it unchanged. */
  type?: string
  /** The database's own type (`databaseType`), when the source gives it. */
  dbType?: string
  /** The type as written. */
  declared?: string
  /** Absent when an alteration leaves it unchanged. */
  nullable?: boolean
  line: number
}

/** A foreign key as a statement or a model declares it: its columns, the table and columns they reference. */
export interface ForeignKeyStep {
  columns: string[]
  table: string
  /** Absent: the referenced table's primary key. */
  references?: string[]
  /** Absent: the schema language's default (SQL: NO ACTION). */
  onDelete?: ForeignKeyAction
  onUpdate?: ForeignKeyAction
  line: number
}

/** A schema fact, where an alteration may change only the type or only the nullability. */
export interface SchemaStep extends Omit<SchemaFact, 'columns' | 'op'> {
  /** `add-constraint`: foreign keys or a primary key added to an existing table. */
  op: SchemaFact['op'] | 'add-constraint'
  columns?: ColumnStep[]
  /** `CREATE TABLE IF NOT EXISTS`: a table already there is kept. */
  ifNotExists?: boolean
  foreignKeys?: ForeignKeyStep[]
  primaryKey?: string[]
  /** A table the ORM creates itself: why (TableItem.implicit). */
  implicit?: string
  /** Relative to the scanned root. */
  file: string
}

interface Column {
  name: string
  type: string
  dbType?: string
  declared?: string
  nullable: boolean
  origin: string
  source: SourceLocation
  references?: { table: string; column?: string; onDelete: ForeignKeyAction; onUpdate: ForeignKeyAction; source: SourceLocation }
}

interface Table {
  name: string
  origin: string
  source: SourceLocation
  columns: Map<string, Column>
  primaryKey?: string[]
  implicit?: string
}

/** `"Users"`, `public.users` -> `users`; other schemas stay: `auth.users`. The key of a table. */
export function tableName(raw: string): string {
  return displayName(raw).toLowerCase()
}

/** `public.Users` -> `Users`: the name as the database shows it, case kept. */
function displayName(raw: string): string {
  return raw.toLowerCase().startsWith('public.') ? raw.slice('public.'.length) : raw
}

export class SchemaState {
  readonly tables = new Map<string, Table>()

  apply(step: SchemaStep): void {
    const key = tableName(step.table)
    const at = (line: number): SourceLocation => ({ file: step.file, line })
    const existing = this.tables.get(key)
    switch (step.op) {
      case 'create-table': {
        if (existing && step.ifNotExists) return
        const table: Table = { name: displayName(step.table), origin: step.origin, source: at(step.line), columns: new Map() }
        if (step.implicit) table.implicit = step.implicit
        for (const c of step.columns ?? []) this.setColumn(table, c, step.origin, at(c.line))
        this.tables.set(key, table)
        this.constrain(table, step)
        return
      }
      case 'drop-table':
        this.tables.delete(key)
        return
      case 'rename-table': {
        if (!existing || !step.to) return
        const to = tableName(step.to)
        this.tables.delete(key)
        existing.name = displayName(step.to)
        this.tables.set(to, existing)
        // Keys that referenced it follow it.
        for (const t of this.tables.values())
          for (const c of t.columns.values()) if (c.references && tableName(c.references.table) === key) c.references.table = existing.name
        return
      }
    }
    // Column steps on a table defined outside what we read (an earlier dump, another tool) still count.
    const table = existing ?? { name: displayName(step.table), origin: step.origin, source: at(step.line), columns: new Map<string, Column>() }
    if (!existing) this.tables.set(key, table)
    switch (step.op) {
      case 'add-column':
      case 'alter-column':
        for (const c of step.columns ?? []) this.setColumn(table, c, step.origin, at(c.line))
        this.constrain(table, step)
        return
      case 'add-constraint':
        this.constrain(table, step)
        return
      case 'drop-column':
        if (step.column) table.columns.delete(step.column.toLowerCase())
        return
      case 'rename-column': {
        const from = step.column?.toLowerCase()
        const to = step.to
        if (!from || !to || !table.columns.has(from)) return
        // Keep the column's position.
        const entries = [...table.columns.entries()].map(([k, c]): [string, Column] => (k === from ? [to.toLowerCase(), { ...c, name: to }] : [k, c]))
        table.columns = new Map(entries)
        if (table.primaryKey) table.primaryKey = table.primaryKey.map((k) => (k.toLowerCase() === from ? to : k))
        return
      }
    }
  }

  /** Foreign keys and the primary key a step declares. */
  private constrain(table: Table, step: SchemaStep): void {
    if (step.primaryKey?.length) table.primaryKey = step.primaryKey
    for (const fk of step.foreignKeys ?? []) {
      fk.columns.forEach((name, i) => {
        const column = table.columns.get(name.toLowerCase())
        if (!column) return
        const ref: NonNullable<Column['references']> = {
          table: displayName(fk.table),
          onDelete: fk.onDelete ?? 'NO ACTION',
          onUpdate: fk.onUpdate ?? 'NO ACTION',
          source: { file: step.file, line: fk.line },
        }
        const target = fk.references?.[i]
        if (target) ref.column = target
        column.references = ref
      })
    }
  }

  private setColumn(table: Table, step: ColumnStep, origin: string, source: SourceLocation): void {
    const key = step.name.toLowerCase()
    const column = table.columns.get(key)
    if (column) {
      if (step.type !== undefined) {
        column.type = step.type
        column.dbType = step.dbType
        column.declared = step.declared
      }
      if (step.nullable !== undefined) column.nullable = step.nullable
      return
    }
    // An alteration that only sets NOT NULL on a column we never saw still tells us it exists.
    const added: Column = { name: step.name, type: step.type ?? 'unknown', nullable: step.nullable ?? true, origin, source }
    if (step.dbType) added.dbType = step.dbType
    if (step.declared) added.declared = step.declared
    table.columns.set(key, added)
  }

  /** Tables by name, each followed by its columns in table order. */
  items(): Array<TableItem | ColumnItem> {
    const items: Array<TableItem | ColumnItem> = []
    const entries = [...this.tables.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    for (const [key, table] of entries) {
      const t: TableItem = { kind: 'table', key: `table ${key}`, component: 'database', name: table.name, origin: table.origin, source: table.source }
      if (table.primaryKey) t.primaryKey = table.primaryKey
      if (table.implicit) t.implicit = table.implicit
      items.push(t)
      for (const c of table.columns.values()) {
        const column: ColumnItem = {
          kind: 'column',
          key: `column ${key}.${c.name.toLowerCase()}`,
          component: 'database',
          table: table.name,
          name: c.name,
          type: c.type,
          nullable: c.nullable,
          origin: c.origin,
          source: c.source,
        }
        if (c.dbType) column.dbType = c.dbType
        if (c.declared) column.declared = c.declared
        if (c.references) {
          // `REFERENCES users` names no column: the referenced table's primary key.
          const target = this.tables.get(tableName(c.references.table))
          const pk = target?.primaryKey?.length === 1 ? target.primaryKey[0] : undefined
          const column_ = c.references.column ?? pk
          column.references = { ...c.references, ...(target ? { table: target.name } : {}), ...(column_ ? { column: column_ } : {}) }
        }
        items.push(column)
      }
    }
    return items
  }
}
