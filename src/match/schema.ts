/**
 * Tables and columns paired across naming conventions. Keys stay the names as the database has
 * them (lower-cased), so map, exclude and feature rules and the history keep meaning what they
 * say; what pairs here beyond the key is shown with how (`naming`, `join-table`):
 *
 * 1. tables of the same name under another convention: `User`, `users`, `user_account` and
 *    `UserAccounts` (case, separators, singular and plural), one to one;
 * 2. join tables by the two tables they reference, once those are paired: Prisma's implicit
 *    `_ArticleToTag`, a Sequelize through-table `ArticleTags`, Django's `blog_article_tags` and
 *    an explicit `article_tag`;
 * 3. inside paired tables, columns of the same name under another convention (`authorId`,
 *    `author_id`), then columns that reference paired tables (`A` -> Article, `article_id` -> articles).
 *
 * A name that stands for several tables on one side pairs by none of them: that is a rename for a
 * person to confirm, not a convention.
 */
import { compareColumnTypes } from '../model/column-type.js'
import type { ColumnItem, ForeignKey, Item, TableItem } from '../model/inventory.js'
import type { ColumnComparison, ForeignKeyComparison, MatchVia } from '../model/run.js'

export interface SchemaMatch {
  candidate: TableItem | ColumnItem
  via: MatchVia
}

/** Words that are their own plural (or whose `s` is no plural), left as they are. */
const UNCOUNTED = new Set(['news', 'series', 'species', 'status', 'data', 'metadata', 'media', 'settings', 'analytics', 'information', 'equipment'])
const IRREGULAR: Record<string, string> = { people: 'person', children: 'child', men: 'man', women: 'woman', mice: 'mouse', indices: 'index' }

/** `categories` -> `category`, `statuses` -> `status`, `boxes` -> `box`, `users` -> `user`; short words stay. */
export function singular(word: string): string {
  const w = word.toLowerCase()
  if (w.length <= 3 || UNCOUNTED.has(w)) return w
  if (IRREGULAR[w]) return IRREGULAR[w]
  if (w.endsWith('ies')) return `${w.slice(0, -3)}y`
  if (/(ss|sh|ch|x|z)es$/.test(w)) return w.slice(0, -2)
  // `statuses`, `bonuses` lose `es`; `houses`, `causes` only `s`.
  if (/[^aeiou]uses$/.test(w)) return w.slice(0, -2)
  if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) return w.slice(0, -1)
  return w
}

/** Words of a name in any convention: `UserAccount`, `user_accounts`, `HTTPRequest`, `user-account`. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
}

/**
 * The name of a table with its convention taken away: lower case, no separators, each word
 * singular. `User`, `users`, `user` -> `user`; `UserAccounts`, `user_account` -> `useraccount`.
 */
export function tableNamingKey(name: string): string {
  return words(name).map(singular).join('')
}

/** A column's name without its convention: `authorId`, `author_id`, `AuthorID` -> `authorid`. */
export function columnNamingKey(name: string): string {
  return words(name).join('').toLowerCase()
}

/** Columns a join table may have besides its two keys. */
const JOIN_EXTRAS = new Set(['id', 'createdat', 'updatedat', 'created', 'modified', 'insertedat'])

/**
 * The two tables a join table references, or undefined: a table whose two foreign-key columns are
 * its primary key, or whose other columns are at most an id and timestamps.
 */
export function joinedTables(columns: ColumnItem[], primaryKey: string[] | undefined): [string, string] | undefined {
  const keys = columns.filter((c) => c.references)
  if (keys.length !== 2) return undefined
  const names = new Set(keys.map((c) => c.name.toLowerCase()))
  const pk = (primaryKey ?? []).map((k) => k.toLowerCase())
  const keyed = pk.length === 2 && pk.every((k) => names.has(k))
  const bare = columns.every((c) => names.has(c.name.toLowerCase()) || JOIN_EXTRAS.has(columnNamingKey(c.name)))
  if (!keyed && !bare) return undefined
  return [keys[0]!.references!.table, keys[1]!.references!.table]
}

interface Side {
  tables: TableItem[]
  columnsOf: Map<TableItem, ColumnItem[]>
}

function sideOf(items: Item[]): Side {
  const tables = items.filter((i): i is TableItem => i.kind === 'table')
  const byKey = new Map(tables.map((t) => [t.key.slice('table '.length), t]))
  const columnsOf = new Map<TableItem, ColumnItem[]>(tables.map((t) => [t, []]))
  for (const i of items) {
    if (i.kind !== 'column') continue
    const table = byKey.get(i.table.toLowerCase())
    if (table) columnsOf.get(table)!.push(i)
  }
  return { tables, columnsOf }
}

/** Items of `list` by `keyOf`, keeping only keys that one item has. */
function uniqueBy<T>(list: T[], keyOf: (t: T) => string): Map<string, T> {
  const seen = new Map<string, T | null>()
  for (const t of list) {
    const k = keyOf(t)
    seen.set(k, seen.has(k) ? null : t)
  }
  return new Map([...seen].filter((e): e is [string, T] => e[1] !== null))
}

/**
 * Baseline tables and columns paired with candidate ones beyond their keys (see the file comment).
 * Pairs by key are included too, so that columns follow their tables; `diffSystems` takes a pair
 * only where neither a key nor a map rule decided.
 */
export function pairSchema(baseItems: Item[], candItems: Item[]): Map<Item, SchemaMatch> {
  const out = new Map<Item, SchemaMatch>()
  const base = sideOf(baseItems)
  const cand = sideOf(candItems)
  if (!base.tables.length || !cand.tables.length) return out
  const tablePair = new Map<TableItem, TableItem>()
  const taken = new Set<TableItem>()
  const pairTable = (b: TableItem, c: TableItem, via: MatchVia) => {
    tablePair.set(b, c)
    taken.add(c)
    out.set(b, { candidate: c, via })
  }
  const candByKey = new Map(cand.tables.map((t) => [t.key, t]))
  for (const b of base.tables) {
    const c = candByKey.get(b.key)
    if (c) pairTable(b, c, 'key')
  }
  // A convention key that names one table on each side.
  const baseByNaming = uniqueBy(
    base.tables.filter((t) => !tablePair.has(t)),
    (t) => tableNamingKey(t.name),
  )
  const candByNaming = uniqueBy(
    cand.tables.filter((t) => !taken.has(t)),
    (t) => tableNamingKey(t.name),
  )
  for (const [k, b] of baseByNaming) {
    const c = candByNaming.get(k)
    if (c) pairTable(b, c, 'naming')
  }
  // Join tables, by the pair of the tables they reference.
  const byName = (side: Side) => new Map(side.tables.map((t) => [t.name.toLowerCase(), t]))
  const baseByName = byName(base)
  const candByName = byName(cand)
  const joinKey = (refs: [TableItem | undefined, TableItem | undefined]) => (refs[0] && refs[1] ? [refs[0].key, refs[1].key].sort().join('\u0000') : undefined)
  const candJoins = new Map<string, TableItem[]>()
  for (const c of cand.tables) {
    if (taken.has(c)) continue
    const refs = joinedTables(cand.columnsOf.get(c)!, c.primaryKey)
    const k = refs && joinKey([candByName.get(refs[0].toLowerCase()), candByName.get(refs[1].toLowerCase())])
    if (k) candJoins.set(k, [...(candJoins.get(k) ?? []), c])
  }
  for (const b of base.tables) {
    if (tablePair.has(b)) continue
    const refs = joinedTables(base.columnsOf.get(b)!, b.primaryKey)
    if (!refs) continue
    const [r0, r1] = refs.map((r) => baseByName.get(r.toLowerCase()))
    const k = joinKey([r0 && tablePair.get(r0), r1 && tablePair.get(r1)])
    const found = k ? candJoins.get(k) : undefined
    if (found?.length === 1 && !taken.has(found[0]!)) pairTable(b, found[0]!, 'join-table')
  }
  // Columns inside paired tables.
  const pairedName = (name: string) => {
    const b = baseByName.get(name.toLowerCase())
    return b && tablePair.get(b)?.name.toLowerCase()
  }
  for (const [b, c] of tablePair) {
    // Columns pair by what they reference only in join tables: elsewhere that is a rename to confirm.
    const join = out.get(b)!.via === 'join-table' || !!joinedTables(base.columnsOf.get(b)!, b.primaryKey)
    const free = new Set(cand.columnsOf.get(c)!)
    const rest: ColumnItem[] = []
    const candByName = new Map([...free].map((x) => [x.name.toLowerCase(), x]))
    const tableVia = out.get(b)!.via
    for (const col of base.columnsOf.get(b)!) {
      const hit = candByName.get(col.name.toLowerCase())
      if (hit && free.has(hit)) {
        out.set(col, { candidate: hit, via: tableVia })
        free.delete(hit)
      } else rest.push(col)
    }
    const candByNaming = uniqueBy([...free], (x) => columnNamingKey(x.name))
    const left: ColumnItem[] = []
    for (const col of uniqueBy(rest, (x) => columnNamingKey(x.name)).values()) {
      const hit = candByNaming.get(columnNamingKey(col.name))
      if (hit && free.has(hit)) {
        out.set(col, { candidate: hit, via: tableVia === 'join-table' ? 'join-table' : 'naming' })
        free.delete(hit)
      } else left.push(col)
    }
    // Columns that reference paired tables: each the only one of its side to reference that table.
    if (!join) continue
    const candByTarget = uniqueBy(
      [...free].filter((x) => x.references),
      (x) => x.references!.table.toLowerCase(),
    )
    const leftByTarget = uniqueBy(
      left.filter((x) => x.references),
      (x) => pairedName(x.references!.table) ?? '',
    )
    for (const [target, col] of leftByTarget) {
      const hit = target ? candByTarget.get(target) : undefined
      if (hit && free.has(hit)) {
        out.set(col, { candidate: hit, via: 'join-table' })
        free.delete(hit)
      }
    }
  }
  return out
}

/** The pairs of tables and columns in one candidate, by lower-cased baseline name, to compare foreign keys. */
export interface SchemaPairNames {
  /** Baseline table name -> candidate table name (lower case). */
  tables: Map<string, string>
  /** `table.column` -> `table.column` (lower case). */
  columns: Map<string, string>
}

/** A baseline column and its candidate column compared. */
export function compareColumns(base: ColumnItem, cand: ColumnItem, names: SchemaPairNames): ColumnComparison {
  const baselineType = base.dbType ?? base.type
  const candidateType = cand.dbType ?? cand.type
  const out: ColumnComparison = { baselineType, candidateType, compatibility: compareColumnTypes(baselineType, candidateType) }
  if (base.nullable !== cand.nullable) out.nullable = cand.nullable ? 'loosened' : 'tightened'
  const fk = compareForeignKeys(base.references, cand.references, names)
  if (fk) out.foreignKey = fk
  return out
}

function compareForeignKeys(base: ForeignKey | undefined, cand: ForeignKey | undefined, names: SchemaPairNames): ForeignKeyComparison | undefined {
  if (!base && !cand) return undefined
  const out: ForeignKeyComparison = { sameTarget: false, sameOnDelete: false, sameOnUpdate: false }
  if (base) out.baseline = base
  if (cand) out.candidate = cand
  if (!base || !cand) return out
  const table = names.tables.get(base.table.toLowerCase())
  const column = base.column && names.columns.get(`${base.table}.${base.column}`.toLowerCase())
  const sameColumn = !base.column || !cand.column || column === `${cand.table}.${cand.column}`.toLowerCase()
  out.sameTarget = table === cand.table.toLowerCase() && sameColumn
  out.sameOnDelete = base.onDelete === cand.onDelete
  out.sameOnUpdate = base.onUpdate === cand.onUpdate
  return out
}
