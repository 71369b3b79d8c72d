/**
 * SeaORM entities: https://www.sea-ql.org/SeaORM/docs/generate-entity/entity-structure/
 * `#[derive(DeriveEntityModel)] #[sea_orm(table_name = "cake")] pub struct Model { ... }` (with
 * `schema_name`, the table is `schema.table`): one column
 * per field, named after it (`column_name = "..."` overrides), skipped with `ignore`. `Option<T>` or
 * `nullable` makes a column nullable; `column_type = "Text"` overrides the type, which otherwise
 * follows the Rust type as SeaORM maps it (i32 -> integer, String -> varchar, DateTimeUtc ->
 * timestamptz...).
 */
import type { SgNode } from '@ast-grep/napi'
import { lineOf, type SchemaColumn } from '../orm-syntax.js'
import { attributeArgs, attributeName, attributeOptions, attributesOf } from '../rust-syntax.js'
import { defineExtractor, type SchemaFact } from '../types.js'

const RUST_TYPES: Record<string, string> = {
  i8: 'smallint',
  i16: 'smallint',
  i32: 'integer',
  i64: 'bigint',
  u8: 'smallint',
  u16: 'integer',
  u32: 'bigint',
  u64: 'bigint',
  f32: 'real',
  f64: 'double',
  bool: 'boolean',
  String: 'varchar',
  'Vec<u8>': 'bytea',
  Uuid: 'uuid',
  Json: 'json',
  Value: 'json',
  Decimal: 'numeric',
  Date: 'date',
  NaiveDate: 'date',
  Time: 'time',
  NaiveTime: 'time',
  DateTime: 'timestamp',
  NaiveDateTime: 'timestamp',
  DateTimeUtc: 'timestamptz',
  DateTimeLocal: 'timestamptz',
  DateTimeWithTimeZone: 'timestamptz',
  'DateTime<Utc>': 'timestamptz',
  'DateTime<FixedOffset>': 'timestamptz',
  'DateTime<Local>': 'timestamptz',
}
const COLUMN_TYPES: Record<string, string> = { JsonBinary: 'jsonb', TimestampWithTimeZone: 'timestamptz', Binary: 'bytea', VarBinary: 'bytea', Blob: 'bytea' }

export const extractor = defineExtractor({
  id: 'sea-orm',
  family: 'rust',
  docs: 'https://www.sea-ql.org/SeaORM/docs/generate-entity/entity-structure/',
  provides: ['schema'],
  detect: (m) => m.dependencies.has('sea-orm'),
  needles: ['sea_orm('],
  extract(file, ctx) {
    const schema: SchemaFact[] = []
    for (const struct of file.root.findAll({ rule: { kind: 'struct_item' } })) {
      const attrs = attributesOf(struct).filter((a) => attributeName(a) === 'sea_orm')
      const options = attrs.map((a) => attributeOptions(attributeArgs(a)))
      const name = options.map((o) => o.get('table_name')?.[0]).find((t) => t !== undefined)
      if (name === undefined) continue
      const schemaName = options.map((o) => o.get('schema_name')?.[0]).find((t) => t !== undefined)
      const table = schemaName ? `${schemaName}.${name}` : name
      if (struct.field('name')?.text() !== 'Model') {
        ctx.diagnose({
          level: 'info',
          code: 'UNSUPPORTED_FORM',
          line: lineOf(struct),
          message: `#[sea_orm(table_name)] on ${struct.field('name')?.text()}, not on a struct Model: read anyway`,
        })
      }
      const columns: SchemaColumn[] = []
      for (const field of struct.find({ rule: { kind: 'field_declaration_list' } })?.children() ?? []) {
        if (field.kind() !== 'field_declaration') continue
        const column = readField(field)
        if (column) columns.push(column)
      }
      schema.push({ op: 'create-table', table, columns, line: lineOf(struct), origin: 'sea-orm' })
    }
    return { routes: [], mounts: [], schema }
  },
})

function readField(field: SgNode): SchemaColumn | undefined {
  const name = field.field('name')?.text()
  const typeNode = field.field('type')
  if (!name || !typeNode) return undefined
  const flags = new Set<string>()
  const options = new Map<string, string>()
  for (const attr of attributesOf(field).filter((a) => attributeName(a) === 'sea_orm')) {
    const groups = attributeArgs(attr)
    for (const g of groups) if (g.length === 1) flags.add(g[0]!.text())
    for (const [k, v] of attributeOptions(groups)) options.set(k, v[0]!)
  }
  if (flags.has('ignore')) return undefined
  let rust = typeNode.text().replace(/\s/g, '')
  let nullable = flags.has('nullable')
  if (rust.startsWith('Option<') && rust.endsWith('>')) {
    nullable = true
    rust = rust.slice(7, -1)
  }
  rust = rust.replace(/\b\w+::/g, '')
  const declared = options.get('column_type')
  const type = declared !== undefined ? (COLUMN_TYPES[declared] ?? declared) : (RUST_TYPES[rust] ?? rust)
  return { name: options.get('column_name') ?? name, type, nullable, line: lineOf(field) }
}
