/**
 * Code navigation by plain string scanning: a declaration is a line that starts (after `export`)
 * with `function`, `class`, `interface`, `type` or `const`; a method is an indented `name(` line
 * inside a class. No parser: the sample tree is small and written in one style.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

export type SymbolKind = 'function' | 'class' | 'interface' | 'type' | 'const' | 'method'

export interface SymbolInfo {
  name: string
  kind: SymbolKind
  file: string
  /** 1-based. */
  line: number
}

export interface Reference {
  file: string
  line: number
  text: string
}

const DECLARATION = /^(?:export\s+)?(function|class|interface|type|const)\s+([A-Za-z_$][\w$]*)/
const METHOD = /^\s+(?!if\b|for\b|while\b|return\b|switch\b)([A-Za-z_$][\w$]*)\((?:[^)]*)\)(?::[^{]+)?\s*\{\s*$/

/** The sample's files (relative paths, sorted). */
export function listFiles(root: string, dir = root): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listFiles(root, full))
    else if (entry.name.endsWith('.ts')) out.push(relative(root, full))
  }
  return out
}

export function readLines(root: string, file: string): string[] {
  return readFileSync(join(root, file), 'utf8').split('\n')
}

/** Declarations and methods of one file, in order. */
export function symbolsOf(root: string, file: string): SymbolInfo[] {
  const out: SymbolInfo[] = []
  let inClass = false
  readLines(root, file).forEach((text, i) => {
    const d = DECLARATION.exec(text)
    if (d) {
      inClass = d[1] === 'class'
      out.push({ name: d[2]!, kind: d[1] as SymbolKind, file, line: i + 1 })
      return
    }
    if (text.startsWith('}')) inClass = false
    const m = inClass ? METHOD.exec(text) : null
    if (m && m[1] !== 'constructor') out.push({ name: m[1]!, kind: 'method', file, line: i + 1 })
  })
  return out
}

/** Lines where `symbol` occurs as a whole word. */
export function referencesIn(root: string, file: string, symbol: string): Reference[] {
  const word = new RegExp(`(^|[^\\w$])${symbol.replace(/[$]/g, '\\$')}(?![\\w$])`)
  const out: Reference[] = []
  readLines(root, file).forEach((text, i) => {
    if (word.test(text)) out.push({ file, line: i + 1, text: text.trim() })
  })
  return out
}
