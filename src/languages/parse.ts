import { createRequire } from 'node:module'
import type { SgRoot } from '@ast-grep/napi'
import type { LanguageFamily, LanguageId } from './types.js'

type Napi = typeof import('@ast-grep/napi')
const require = createRequire(import.meta.url)
let napi: Napi | undefined

/** Load ast-grep once and register Rust, Go and Python as dynamic languages beside its built-ins. */
function engine(): Napi {
  if (napi) return napi
  const loaded = require('@ast-grep/napi') as Napi
  loaded.registerDynamicLanguage({
    rust: require('@ast-grep/lang-rust'),
    go: require('@ast-grep/lang-go'),
    python: require('@ast-grep/lang-python'),
  })
  napi = loaded
  return loaded
}

const byExtension: Record<string, LanguageId> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.rs': 'rust',
  '.go': 'go',
  '.py': 'python',
}

export function languageOfFile(file: string): LanguageId | undefined {
  if (file.endsWith('.d.ts') || file.endsWith('.d.mts') || file.endsWith('.d.cts')) return undefined
  const dot = file.lastIndexOf('.')
  return dot === -1 ? undefined : byExtension[file.slice(dot)]
}

export function familyOf(language: LanguageId): LanguageFamily {
  return language === 'typescript' || language === 'tsx' || language === 'javascript' ? 'js' : language
}

/** Parse source text with the one engine used for every language. */
export function parseSource(language: LanguageId, source: string): SgRoot {
  const e = engine()
  const lang = language === 'typescript' ? e.Lang.TypeScript : language === 'tsx' ? e.Lang.Tsx : language === 'javascript' ? e.Lang.JavaScript : language
  return e.parse(lang, source)
}

/** Parse on the libuv thread pool, so that parsing overlaps the extraction of other files. */
export function parseSourceAsync(language: LanguageId, source: string): Promise<SgRoot> {
  const e = engine()
  const lang = language === 'typescript' ? e.Lang.TypeScript : language === 'tsx' ? e.Lang.Tsx : language === 'javascript' ? e.Lang.JavaScript : language
  return e.parseAsync(lang, source)
}
