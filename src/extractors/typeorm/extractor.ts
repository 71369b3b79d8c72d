/**
 * TypeORM entities: https://typeorm.io/docs/entity/entities
 * `@Entity('users')` (or `{ name }`) classes; `@Column(type?, options?)` with `type`, `name`,
 * `nullable`, `array`; `@PrimaryColumn`, `@PrimaryGeneratedColumn('uuid' | 'increment')`,
 * `@CreateDateColumn`, `@UpdateDateColumn`, `@DeleteDateColumn` (nullable), `@VersionColumn`;
 * `@ManyToOne` / `@OneToOne` + `@JoinColumn` as the foreign key column `<property>Id` (or the join
 * column's `name`), typed like the target's primary column when the target is in the same file,
 * `integer` otherwise, nullable unless `nullable: false`. Columns of a base class in the same file
 * are inherited; a base imported from another file is an UNSUPPORTED_FORM warning. Rules, as
 * TypeORM's DefaultNamingStrategy: an unnamed entity's table is the class name in snake_case
 * (`UserProfile` -> `user_profile`); a column is named after its property, unchanged. With no `type`, the TypeScript type decides: string -> varchar, number -> integer,
 * boolean -> boolean, Date -> timestamp; `| null` and `?` do not make a column nullable (TypeORM
 * reads only `nullable`).
 */
import type { SgNode } from '@ast-grep/napi'
import { stringLiteral } from '../../languages/typescript.js'
import { argsOf } from '../js-syntax.js'
import { jsBoolean, lineOf, objectProps, snakeCase, type SchemaColumn } from '../orm-syntax.js'
import { defineExtractor, type SchemaFact } from '../types.js'

const TS_TYPES: Record<string, string> = { string: 'varchar', number: 'integer', boolean: 'boolean', Date: 'timestamp', bigint: 'bigint', Buffer: 'bytea' }
const DATE_COLUMNS: Record<string, boolean> = { CreateDateColumn: false, UpdateDateColumn: false, DeleteDateColumn: true }

interface ClassInfo {
  name: string
  node: SgNode
  decorators: SgNode[]
  base?: string
}

export const extractor = defineExtractor({
  id: 'typeorm',
  family: 'js',
  docs: 'https://typeorm.io/docs/entity/entities',
  provides: ['schema'],
  detect: (m) => m.dependencies.has('typeorm'),
  needles: ['@Entity'],
  extract(file, ctx) {
    const classes = new Map<string, ClassInfo>()
    for (const cls of file.root.findAll({ rule: { any: [{ kind: 'class_declaration' }, { kind: 'abstract_class_declaration' }] } })) {
      const name = cls.field('name')?.text()
      if (!name) continue
      const holder = cls.parent()?.kind() === 'export_statement' ? cls.parent()! : cls
      const decorators = [...holder.children(), ...cls.children()].filter((c) => c.kind() === 'decorator')
      const heritage = cls.children().find((c) => c.kind() === 'class_heritage')
      const base = heritage
        ?.find({ rule: { kind: 'extends_clause' } })
        ?.field('value')
        ?.text()
      classes.set(name, { name, node: cls, decorators, ...(base ? { base } : {}) })
    }
    const schema: SchemaFact[] = []
    for (const cls of classes.values()) {
      const entity = cls.decorators.find((d) => decoratorName(d) === 'Entity')
      if (!entity) continue
      const table = tableName(entity, cls.name)
      if (table === undefined) {
        ctx.diagnose({ code: 'UNSUPPORTED_FORM', line: lineOf(entity), message: `@Entity of ${cls.name} with a name that is not a literal: table not read` })
        continue
      }
      const imported = cls.base ? file.module.imports[cls.base] : undefined
      if (imported && imported.module !== 'typeorm') {
        ctx.diagnose({
          code: 'UNSUPPORTED_FORM',
          line: lineOf(cls.node),
          message: `${cls.name} extends ${cls.base} of ${imported.module}: columns inherited from another file are not read`,
        })
      }
      schema.push({ op: 'create-table', table, columns: columnsOf(cls, classes, new Set()), line: lineOf(entity), origin: 'typeorm' })
    }
    return { routes: [], mounts: [], schema }
  },
})

function decoratorName(decorator: SgNode): string | undefined {
  const expr = decorator.namedChildren()[0]
  const callee = expr?.kind() === 'call_expression' ? expr.field('function') : expr
  if (!callee) return undefined
  return callee.kind() === 'member_expression' ? callee.field('property')?.text() : callee.text()
}

function decoratorArgs(decorator: SgNode): SgNode[] {
  const expr = decorator.namedChildren()[0]
  return expr?.kind() === 'call_expression' ? argsOf(expr) : []
}

function tableName(entity: SgNode, className: string): string | undefined {
  const [first] = decoratorArgs(entity)
  if (!first) return snakeCase(className)
  if (first.kind() === 'object') {
    const name = objectProps(first).get('name')
    return name ? stringLiteral(name) : snakeCase(className)
  }
  return stringLiteral(first)
}

/** The columns of a class, its same-file base classes' first. */
function columnsOf(cls: ClassInfo, classes: Map<string, ClassInfo>, seen: Set<string>): SchemaColumn[] {
  seen.add(cls.name)
  const base = cls.base && !seen.has(cls.base) ? classes.get(cls.base) : undefined
  const out = base ? columnsOf(base, classes, seen) : []
  const body = cls.node.field('body')
  for (const field of body?.children() ?? []) {
    if (field.kind() !== 'public_field_definition') continue
    const property = field.field('name')?.text()
    if (!property) continue
    for (const decorator of field.children().filter((c) => c.kind() === 'decorator')) {
      const column = readColumn(decorator, property, field, classes)
      if (column) out.push({ ...column, line: lineOf(field) })
    }
  }
  return out
}

function readColumn(decorator: SgNode, property: string, field: SgNode, classes: Map<string, ClassInfo>): Omit<SchemaColumn, 'line'> | undefined {
  const kind = decoratorName(decorator)
  const args = decoratorArgs(decorator)
  const options = objectProps(args.find((a) => a.kind() === 'object'))
  const typeArg = args[0] && stringLiteral(args[0])
  const optionType = options.get('type') && stringLiteral(options.get('type')!)
  const name = (options.get('name') && stringLiteral(options.get('name')!)) ?? property
  const nullableOption = jsBoolean(options.get('nullable'))
  const array = jsBoolean(options.get('array')) ? '[]' : ''
  switch (kind) {
    case 'Column':
    case 'PrimaryColumn': {
      const type = (optionType ?? typeArg ?? tsType(field) ?? 'unknown') + array
      const primary = kind === 'PrimaryColumn' || jsBoolean(options.get('primary')) === true
      return { name, type, nullable: !primary && nullableOption === true }
    }
    case 'PrimaryGeneratedColumn': {
      const strategy = typeArg ?? 'increment'
      return { name, type: optionType ?? (strategy === 'uuid' ? 'uuid' : 'integer'), nullable: false }
    }
    case 'CreateDateColumn':
    case 'UpdateDateColumn':
    case 'DeleteDateColumn':
      return { name, type: optionType ?? 'timestamp', nullable: nullableOption ?? DATE_COLUMNS[kind]! }
    case 'VersionColumn':
      return { name, type: optionType ?? 'integer', nullable: false }
    case 'ManyToOne':
    case 'OneToOne': {
      const join = field.children().find((c) => c.kind() === 'decorator' && decoratorName(c) === 'JoinColumn')
      if (kind === 'OneToOne' && !join) return undefined
      const joinName = join && objectProps(decoratorArgs(join)[0]).get('name')
      const relationOptions = objectProps(args[2] ?? args[1])
      return {
        name: (joinName && stringLiteral(joinName)) ?? `${property}Id`,
        type: targetKeyType(args[0], classes),
        nullable: jsBoolean(relationOptions.get('nullable')) ?? true,
      }
    }
    default:
      return undefined
  }
}

/** The TypeScript type of a property, without `| null` / `| undefined`. */
function tsType(field: SgNode): string | undefined {
  const annotation = field
    .children()
    .find((c) => c.kind() === 'type_annotation')
    ?.namedChildren()[0]
  if (!annotation) return undefined
  const parts = annotation.kind() === 'union_type' ? annotation.namedChildren() : [annotation]
  const kept = parts.map((p) => p.text()).filter((t) => t !== 'null' && t !== 'undefined')
  if (kept.length !== 1) return kept.length ? 'varchar' : undefined
  const t = kept[0]!
  if (t.endsWith('[]')) return `${TS_TYPES[t.slice(0, -2)] ?? t.slice(0, -2)}[]`
  return TS_TYPES[t] ?? t
}

/** `() => User`: the type of User's primary column when User is an entity of this file, else `integer`. */
function targetKeyType(target: SgNode | undefined, classes: Map<string, ClassInfo>): string {
  const body = target?.kind() === 'arrow_function' ? target.field('body')?.text() : undefined
  const cls = body ? classes.get(body) : undefined
  for (const field of cls?.node.field('body')?.children() ?? []) {
    if (field.kind() !== 'public_field_definition') continue
    for (const decorator of field.children().filter((c) => c.kind() === 'decorator')) {
      const kind = decoratorName(decorator)
      if (kind === 'PrimaryGeneratedColumn' || kind === 'PrimaryColumn') {
        return readColumn(decorator, '', field, new Map())?.type ?? 'integer'
      }
    }
  }
  return 'integer'
}
