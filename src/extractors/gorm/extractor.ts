/**
 * GORM models: https://gorm.io/docs/models.html and https://gorm.io/docs/conventions.html
 * A model is a struct that embeds `gorm.Model` or tags a field `gorm:"..."`; a struct of this file
 * embedded in a model lends it its fields instead of being a table. Rules, as GORM's default
 * NamingStrategy: the table is what a `TableName()` method of the type in this file returns, else
 * the struct name in snake_case, pluralised (`UserProfile` -> `user_profiles`, `Category` ->
 * `categories`); a column is `column:` or the field name in snake_case (`UserID` -> `user_id`).
 * `gorm.Model` gives `id`, `created_at`, `updated_at`, `deleted_at`; a field tagged `embedded` lends its
 * struct's fields, prefixed with `embeddedPrefix`. Nullable: a pointer,
 * `sql.Null*` or `gorm.DeletedAt` field, unless tagged `not null` or `primaryKey`; any other field is
 * not null (the Go value can never be NULL). Type: `type:` from the tag, else the Go type (string ->
 * text, or varchar with `size:`; int, uint, int64 -> bigint; time.Time -> timestamp). Fields tagged
 * `-`, unexported fields and relations (a struct of this file, a slice of anything but bytes) are
 * not columns.
 */
import type { SgNode } from '@ast-grep/napi'
import { goStringLiteral } from '../../languages/go.js'
import { lineOf, pluralize, snakeCase, type SchemaColumn } from '../orm-syntax.js'
import { defineExtractor, type SchemaFact } from '../types.js'

const GO_TYPES: Record<string, string> = {
  string: 'text',
  int: 'bigint',
  int64: 'bigint',
  uint: 'bigint',
  uint64: 'bigint',
  int32: 'integer',
  uint32: 'integer',
  int16: 'smallint',
  uint16: 'smallint',
  int8: 'smallint',
  uint8: 'smallint',
  bool: 'boolean',
  float32: 'real',
  float64: 'double',
  'time.Time': 'timestamp',
  '[]byte': 'bytea',
  'sql.NullString': 'text',
  'sql.NullInt64': 'bigint',
  'sql.NullInt32': 'integer',
  'sql.NullInt16': 'smallint',
  'sql.NullBool': 'boolean',
  'sql.NullFloat64': 'double',
  'sql.NullTime': 'timestamp',
  'gorm.DeletedAt': 'timestamp',
  'uuid.UUID': 'uuid',
  'datatypes.JSON': 'json',
  'decimal.Decimal': 'numeric',
}
const GORM_MODEL: Array<Omit<SchemaColumn, 'line'>> = [
  { name: 'id', type: 'bigint', nullable: false },
  { name: 'created_at', type: 'timestamp', nullable: false },
  { name: 'updated_at', type: 'timestamp', nullable: false },
  { name: 'deleted_at', type: 'timestamp', nullable: true },
]

export const extractor = defineExtractor({
  id: 'gorm',
  family: 'go',
  docs: 'https://gorm.io/docs/models.html',
  provides: ['schema'],
  detect: (m) => m.dependencies.has('gorm.io/gorm') || m.dependencies.has('github.com/jinzhu/gorm'),
  needles: ['gorm.Model', 'gorm:"'],
  extract(file) {
    const structs = new Map<string, SgNode>()
    for (const spec of file.root.findAll({ rule: { kind: 'type_spec', has: { field: 'type', kind: 'struct_type' } } })) {
      const name = spec.field('name')?.text()
      if (name) structs.set(name, spec)
    }
    const tableNames = new Map<string, string>()
    for (const method of file.root.findAll({ rule: { kind: 'method_declaration', has: { field: 'name', regex: '^TableName$' } } })) {
      const receiver = method
        .field('receiver')
        ?.find({ rule: { kind: 'type_identifier' } })
        ?.text()
      const returned = method
        .find({ rule: { kind: 'return_statement' } })
        ?.find({ rule: { any: [{ kind: 'interpreted_string_literal' }, { kind: 'raw_string_literal' }] } })
      const value = returned ? goStringLiteral(returned) : undefined
      if (receiver && value !== undefined) tableNames.set(receiver, value)
    }
    const embedded = new Set<string>()
    for (const spec of structs.values())
      for (const f of fieldsOf(spec)) if (!f.field('name') && structs.has(f.field('type')?.text() ?? '')) embedded.add(f.field('type')!.text())

    const schema: SchemaFact[] = []
    for (const [name, spec] of structs) {
      if (embedded.has(name) || !isModel(spec)) continue
      const table = tableNames.get(name) ?? pluralize(snakeCase(name))
      schema.push({ op: 'create-table', table, columns: columnsOf(spec, structs, new Set([name])), line: lineOf(spec), origin: 'gorm' })
    }
    return { routes: [], mounts: [], schema }
  },
})

function fieldsOf(spec: SgNode): SgNode[] {
  return (
    spec
      .find({ rule: { kind: 'field_declaration_list' } })
      ?.children()
      .filter((c) => c.kind() === 'field_declaration') ?? []
  )
}

function isModel(spec: SgNode): boolean {
  return fieldsOf(spec).some((f) => f.field('type')?.text() === 'gorm.Model' || tagsOf(f).has('gorm'))
}

/** The struct tag of a field, by key (`gorm:"size:100" json:"name"`), parsed as Go's reflect.StructTag. */
function tagsOf(field: SgNode): Map<string, string> {
  const out = new Map<string, string>()
  const tag = field.field('tag')
  const text = tag ? goStringLiteral(tag) : undefined
  if (!text) return out
  let i = 0
  while (i < text.length) {
    while (text[i] === ' ') i++
    const colon = text.indexOf(':"', i)
    if (colon === -1) break
    const key = text.slice(i, colon)
    let j = colon + 2
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
    out.set(key, text.slice(colon + 2, j))
    i = j + 1
  }
  return out
}

/** `size:100;not null;column:mail` -> settings by upper-case key (`NOT NULL` -> ''). */
function gormSettings(tag: string | undefined): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of (tag ?? '').split(';')) {
    const colon = part.indexOf(':')
    const key = (colon === -1 ? part : part.slice(0, colon)).trim().toUpperCase()
    if (key) out.set(key, colon === -1 ? '' : part.slice(colon + 1).trim())
  }
  return out
}

function columnsOf(spec: SgNode, structs: Map<string, SgNode>, seen: Set<string>): SchemaColumn[] {
  const out: SchemaColumn[] = []
  for (const field of fieldsOf(spec)) {
    const typeNode = field.field('type')
    if (!typeNode) continue
    const goType = typeNode.text()
    const line = lineOf(field)
    const names = field
      .children()
      .filter((c) => c.kind() === 'field_identifier')
      .map((c) => c.text())
    const settings = gormSettings(tagsOf(field).get('gorm'))
    if (settings.has('-')) continue
    if (names.length === 0) {
      // An embedded struct: gorm.Model, or a struct of this file whose fields join the model's.
      if (goType === 'gorm.Model') out.push(...GORM_MODEL.map((c) => ({ ...c, line })))
      else if (structs.has(goType) && !seen.has(goType)) out.push(...columnsOf(structs.get(goType)!, structs, new Set([...seen, goType])))
      continue
    }
    const pointer = typeNode.kind() === 'pointer_type'
    const base = pointer ? typeNode.text().slice(1) : goType
    if (settings.has('EMBEDDED') && structs.has(base)) {
      const prefix = settings.get('EMBEDDEDPREFIX') ?? ''
      if (!seen.has(base)) out.push(...columnsOf(structs.get(base)!, structs, new Set([...seen, base])).map((c) => ({ ...c, name: prefix + c.name })))
      continue
    }
    const relation = structs.has(base) || (typeNode.kind() === 'slice_type' && goType !== '[]byte')
    if (relation && !settings.has('TYPE')) continue
    const primary = settings.has('PRIMARYKEY') || settings.has('PRIMARY_KEY')
    const nullable = !primary && !settings.has('NOT NULL') && (pointer || base.startsWith('sql.Null') || base === 'gorm.DeletedAt')
    const size = settings.get('SIZE')
    const type = settings.get('TYPE') ?? (base === 'string' && size ? `varchar(${size})` : (GO_TYPES[base] ?? base))
    for (const name of names) {
      if (name[0] === name[0]!.toLowerCase()) continue
      out.push({ name: settings.get('COLUMN') ?? snakeCase(name), type, nullable, line })
    }
  }
  return out
}
