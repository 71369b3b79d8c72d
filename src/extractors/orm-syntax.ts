/**
 * Helpers shared by the ORM schema extractors (Drizzle, TypeORM, Sequelize, Knex, diesel, SeaORM,
 * GORM, SQLAlchemy, Django): the default table and column names ORMs derive from class names, and
 * reading JavaScript object literals of column options.
 */
import type { SgNode } from '@ast-grep/napi'
import { objectProps } from './js-syntax.js'
import type { SchemaFact } from './types.js'

export { objectProps }

export type SchemaColumn = NonNullable<SchemaFact['columns']>[number]

/**
 * snake_case as ORMs derive it from a class or field name: a lower-to-upper boundary and the end of
 * an initialism start a word (`UserProfile` -> `user_profile`, `UserID` -> `user_id`, `HTTPCode` ->
 * `http_code`); digits stay with the word before them.
 */
export function snakeCase(name: string): string {
  let out = ''
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!
    const upper = c >= 'A' && c <= 'Z'
    if (upper && i > 0) {
      const prev = name[i - 1]!
      const next = name[i + 1]
      const prevLowerOrDigit = (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9')
      const prevUpper = prev >= 'A' && prev <= 'Z'
      const nextLower = next !== undefined && next >= 'a' && next <= 'z'
      if ((prevLowerOrDigit || (prevUpper && nextLower)) && !out.endsWith('_')) out += '_'
    }
    out += c.toLowerCase()
  }
  return out
}

const IRREGULAR: Record<string, string> = { person: 'people', man: 'men', woman: 'women', child: 'children', mouse: 'mice', goose: 'geese' }
const UNCOUNTABLE = new Set(['equipment', 'information', 'rice', 'money', 'species', 'series', 'fish', 'sheep', 'news', 'data'])

/**
 * English plural of the last word of a snake_case name, as GORM's and Sequelize's inflection
 * libraries form it for ordinary nouns: a few irregular and uncountable words; `-y` after a
 * consonant -> `-ies`; `-s`, `-x`, `-z`, `-ch`, `-sh` -> `+es`; otherwise `+s`.
 */
export function pluralize(name: string): string {
  const cut = name.lastIndexOf('_') + 1
  const head = name.slice(0, cut)
  const word = name.slice(cut)
  const lower = word.toLowerCase()
  if (IRREGULAR[lower]) return head + IRREGULAR[lower]
  if (UNCOUNTABLE.has(lower) || lower.endsWith('ies')) return name
  if (/[^aeiou]y$/.test(lower)) return `${head}${word.slice(0, -1)}ies`
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${name}es`
  return `${name}s`
}

/** A JS boolean literal, or undefined for anything else. */
export function jsBoolean(node: SgNode | undefined): boolean | undefined {
  const k = node?.kind()
  return k === 'true' ? true : k === 'false' ? false : undefined
}

/** 1-based line of a node. */
export function lineOf(node: SgNode): number {
  return node.range().start.line + 1
}

/**
 * True inside a migration's `down` (`exports.down = ...`, `export async function down`, a `down:`
 * property or method): its steps undo `up` and are not part of the schema.
 */
export function inDownMigration(node: SgNode): boolean {
  return node.ancestors().some((a) => {
    const k = a.kind()
    if (k === 'function_declaration' || k === 'method_definition' || k === 'variable_declarator') return a.field('name')?.text() === 'down'
    if (k === 'pair') return a.field('key')?.text() === 'down'
    if (k === 'assignment_expression') return /(^|\.)down$/.test(a.field('left')?.text() ?? '')
    return false
  })
}
