/**
 * A database schema built by applying steps in order (ORM models, migrations), then listed as
 * inventory items. Shared by the static reading of a tree and the live introspection.
 */
import type { SchemaFact } from '../extractors/types.js'
import type { ColumnItem, SourceLocation, TableItem } from '../model/inventory.js'

export interface ColumnStep {
  name: string
  /** Normalised type; absent when an alteration leaves it unchanged. */
  type?: string
  /** Absent when an alteration leaves it unchanged. */
  nullable?: boolean
  line: number
}

/** A schema fact, where an alteration may change only the type or only the nullability. */
export interface SchemaStep extends Omit<SchemaFact, 'columns'> {
  columns?: ColumnStep[]
  /** `CREATE TABLE IF NOT EXISTS`: a table already there is kept. */
  ifNotExists?: boolean
  /** Relative to the scanned root. */
  file: string
}

interface Column {
  name: string
  type: string
  nullable: boolean
  origin: string
  source: SourceLocation
}

interface Table {
  name: string
  origin: string
  source: SourceLocation
  columns: Map<string, Column>
}

/** `"Users"`, `public.users` -> `users`; other schemas stay: `auth.users`. */
export function tableName(raw: string): string {
  const name = raw.toLowerCase()
  return name.startsWith('public.') ? name.slice('public.'.length) : name
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
        const table: Table = { name: key, origin: step.origin, source: at(step.line), columns: new Map() }
        for (const c of step.columns ?? []) this.setColumn(table, c, step.origin, at(c.line))
        this.tables.set(key, table)
        return
      }
      case 'drop-table':
        this.tables.delete(key)
        return
      case 'rename-table': {
        if (!existing || !step.to) return
        const to = tableName(step.to)
        this.tables.delete(key)
        existing.name = to
        this.tables.set(to, existing)
        return
      }
    }
    // Column steps on a table defined outside what we read (an earlier dump, another tool) still count.
    const table = existing ?? { name: key, origin: step.origin, source: at(step.line), columns: new Map<string, Column>() }
    if (!existing) this.tables.set(key, table)
    switch (step.op) {
      case 'add-column':
      case 'alter-column':
        for (const c of step.columns ?? []) this.setColumn(table, c, step.origin, at(c.line))
        return
      case 'drop-column':
        if (step.column) table.columns.delete(step.column.toLowerCase())
        return
      case 'rename-column': {
        const from = step.column?.toLowerCase()
        const to = step.to?.toLowerCase()
        if (!from || !to || !table.columns.has(from)) return
        // Keep the column's position.
        const entries = [...table.columns.entries()].map(([k, c]): [string, Column] => (k === from ? [to, { ...c, name: to }] : [k, c]))
        table.columns = new Map(entries)
        return
      }
    }
  }

  private setColumn(table: Table, step: ColumnStep, origin: string, source: SourceLocation): void {
    const key = step.name.toLowerCase()
    const column = table.columns.get(key)
    if (column) {
      if (step.type !== undefined) column.type = step.type
      if (step.nullable !== undefined) column.nullable = step.nullable
      return
    }
    // An alteration that only sets NOT NULL on a column we never saw still tells us it exists.
    table.columns.set(key, { name: key, type: step.type ?? 'unknown', nullable: step.nullable ?? true, origin, source })
  }

  /** Tables by name, each followed by its columns in table order. */
  items(): Array<TableItem | ColumnItem> {
    const items: Array<TableItem | ColumnItem> = []
    for (const table of [...this.tables.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      items.push({ kind: 'table', key: `table ${table.name}`, component: 'database', name: table.name, origin: table.origin, source: table.source })
      for (const c of table.columns.values()) {
        items.push({
          kind: 'column',
          key: `column ${table.name}.${c.name}`,
          component: 'database',
          table: table.name,
          name: c.name,
          type: c.type,
          nullable: c.nullable,
          origin: c.origin,
          source: c.source,
        })
      }
    }
    return items
  }
}
