import { goLanguage } from './go.js'
import { pythonLanguage } from './python.js'
import { rustLanguage } from './rust.js'
import type { LanguageFamily, LanguageSupport } from './types.js'
import { jsLanguage } from './typescript.js'

export const languageSupport: Record<LanguageFamily, LanguageSupport> = {
  js: jsLanguage,
  rust: rustLanguage,
  go: goLanguage,
  python: pythonLanguage,
}
