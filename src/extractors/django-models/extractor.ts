/**
 * Django models: https://docs.djangoproject.com/en/stable/topics/db/models/
 * A class deriving from `models.Model` (or from a model class of the same file) with `models.XField`
 * attributes. Rules, as Django's: the table is `Meta.db_table`, else `<app label>_<class name
 * lower-cased>`, where the app label is `Meta.app_label`, else the folder holding `models.py` (the
 * folder above a `models/` package); an abstract model (`Meta.abstract = True`) or a proxy has no
 * table, and its fields join its subclasses'; a subclass of a concrete model of this file gets
 * `<parent>_ptr_id`. Every model without a `primary_key=True` field gets an implicit `id`
 * (`BigAutoField`, the DEFAULT_AUTO_FIELD of projects since Django 3.2). A field is nullable exactly
 * with `null=True`; `ForeignKey` / `OneToOneField` are columns `<name>_id` (`db_column` overrides)
 * typed bigint, the type of the default key; `ManyToManyField` makes no column (its join table is not
 * read). Types are the field classes (`CharField`), normalised later.
 */
import type { SgNode } from '@ast-grep/napi'
import { pyStringLiteral } from '../../languages/python.js'
import { lineOf, type SchemaColumn } from '../orm-syntax.js'
import { baseNames, calleeName, callArgs } from '../py-syntax.js'
import { defineExtractor, type SchemaFact } from '../types.js'

const FIELD_TYPES: Record<string, string> = {
  ForeignKey: 'bigint',
  OneToOneField: 'bigint',
  PositiveBigIntegerField: 'bigint',
  SmallAutoField: 'smallint',
  FileField: 'varchar',
  ImageField: 'varchar',
  FilePathField: 'varchar',
  GenericIPAddressField: 'inet',
  IPAddressField: 'inet',
}
const RELATIONS = new Set(['ForeignKey', 'OneToOneField'])

interface ModelClass {
  name: string
  node: SgNode
  meta: Map<string, SgNode>
  bases: string[]
}

export const extractor = defineExtractor({
  id: 'django-models',
  family: 'python',
  docs: 'https://docs.djangoproject.com/en/stable/topics/db/models/',
  provides: ['schema'],
  detect: (m) => m.dependencies.has('django'),
  needles: ['django.db'],
  extract(file, ctx) {
    const classes = new Map<string, ModelClass>()
    for (const cls of file.root.findAll({ rule: { kind: 'class_definition', not: { inside: { kind: 'class_definition', stopBy: 'end' } } } })) {
      const name = cls.field('name')?.text()
      if (name) classes.set(name, { name, node: cls, meta: metaOf(cls), bases: baseNames(cls) })
    }
    const isModel = (c: ModelClass, seen = new Set<string>()): boolean => {
      seen.add(c.name)
      // A base from another file (an app's own BaseModel) counts when the class has `models.` fields.
      return c.bases.some((b) => b === 'Model' || (classes.has(b) && !seen.has(b) && isModel(classes.get(b)!, seen))) || fieldsOf(c).some((f) => f.qualified)
    }
    const flag = (c: ModelClass, key: string) => c.meta.get(key)?.kind() === 'true'
    const concrete = (c: ModelClass) => isModel(c) && !flag(c, 'abstract') && !flag(c, 'proxy')
    const app = appLabel(file.path)
    const literal = (node: SgNode | undefined) => (node ? pyStringLiteral(node) : undefined)
    const tableOf = (c: ModelClass) => literal(c.meta.get('db_table')) ?? `${literal(c.meta.get('app_label')) ?? app}_${c.name.toLowerCase()}`

    const schema: SchemaFact[] = []
    for (const c of classes.values()) {
      if (!concrete(c)) continue
      const dbTable = c.meta.get('db_table')
      if (dbTable && pyStringLiteral(dbTable) === undefined) {
        ctx.diagnose({ code: 'UNSUPPORTED_FORM', line: lineOf(dbTable), message: `db_table of ${c.name} is not a literal: table not read` })
        continue
      }
      const line = lineOf(c.node)
      const columns: Array<SchemaColumn & { primary?: boolean }> = []
      const parent = c.bases.map((b) => classes.get(b)).find((b) => b && concrete(b))
      if (parent) columns.push({ name: `${parent.name.toLowerCase()}_ptr_id`, type: 'bigint', nullable: false, line })
      columns.push(...inherited(c, classes, new Set()))
      if (!parent && !columns.some((col) => col.primary)) columns.unshift({ name: 'id', type: 'BigAutoField', nullable: false, line })
      schema.push({ op: 'create-table', table: tableOf(c), columns: columns.map(({ primary: _, ...col }) => col), line, origin: 'django' })
    }
    return { routes: [], mounts: [], schema }
  },
})

/** `app/models.py` -> `app`; `app/models/user.py` -> `app`. */
function appLabel(path: string): string {
  const parts = path.split('/')
  parts.pop()
  if (parts[parts.length - 1] === 'models') parts.pop()
  return parts[parts.length - 1] ?? 'app'
}

/** The assignments of a class's inner `class Meta`. */
function metaOf(cls: SgNode): Map<string, SgNode> {
  const out = new Map<string, SgNode>()
  const meta = cls
    .field('body')
    ?.children()
    .find((c) => c.kind() === 'class_definition' && c.field('name')?.text() === 'Meta')
  for (const stmt of meta?.field('body')?.children() ?? []) {
    const assign = stmt.namedChildren()[0]
    if (assign?.kind() !== 'assignment') continue
    const left = assign.field('left')?.text()
    const right = assign.field('right')
    if (left && right) out.set(left, right)
  }
  return out
}

/** `name = models.CharField(...)` assignments of a class body. */
function fieldsOf(c: ModelClass): Array<{ name: string; call: SgNode; field: string; qualified: boolean }> {
  const out: Array<{ name: string; call: SgNode; field: string; qualified: boolean }> = []
  for (const stmt of c.node.field('body')?.children() ?? []) {
    const assign = stmt.kind() === 'expression_statement' ? stmt.namedChildren()[0] : undefined
    if (assign?.kind() !== 'assignment') continue
    const left = assign.field('left')
    const right = assign.field('right')
    if (left?.kind() !== 'identifier' || right?.kind() !== 'call') continue
    const field = calleeName(right)
    const fn = right.field('function')!
    const qualified = fn.kind() === 'attribute' && fn.field('object')?.text() === 'models'
    if (field && (qualified || fn.kind() === 'identifier') && (field.endsWith('Field') || RELATIONS.has(field)))
      out.push({ name: left.text(), call: right, field, qualified })
  }
  return out
}

/** Fields of abstract same-file bases first, then the class's own. */
function inherited(c: ModelClass, classes: Map<string, ModelClass>, seen: Set<string>): Array<SchemaColumn & { primary: boolean }> {
  seen.add(c.name)
  const out: Array<SchemaColumn & { primary: boolean }> = []
  for (const b of c.bases) {
    const base = classes.get(b)
    if (base && !seen.has(b) && base.meta.get('abstract')?.kind() === 'true') out.push(...inherited(base, classes, seen))
  }
  for (const f of fieldsOf(c)) {
    if (f.field === 'ManyToManyField') continue
    const args = callArgs(f.call)
    const dbColumn = args.keywords.get('db_column')
    const relation = RELATIONS.has(f.field)
    let type = FIELD_TYPES[f.field] ?? f.field
    if (f.field === 'ArrayField') {
      const inner = args.keywords.get('base_field') ?? args.positional[0]
      const innerName = inner?.kind() === 'call' ? calleeName(inner) : undefined
      type = `${innerName ? (FIELD_TYPES[innerName] ?? innerName) : 'unknown'}[]`
    }
    out.push({
      name: (dbColumn && pyStringLiteral(dbColumn)) ?? (relation ? `${f.name}_id` : f.name),
      type,
      nullable: args.keywords.get('null')?.kind() === 'true' || f.field === 'NullBooleanField',
      primary: args.keywords.get('primary_key')?.kind() === 'true',
      line: lineOf(f.call),
    })
  }
  return out
}
