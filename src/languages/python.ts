import type { LanguageSupport } from './types.js'

/** Python: module tables and string evaluation (only plain string literals so far). */
export const pythonLanguage: LanguageSupport = {
  family: 'python',
  analyzeModule: () => ({ imports: {}, exports: {}, constants: {} }),
  pathOf: (node) => {
    const k = node.kind()
    if (k === 'string_literal' || k === 'interpreted_string_literal' || k === 'raw_string_literal' || k === 'string') {
      return [node.text().replace(/^[rbfu]*"+|"+$|^'+|'+$|^`|`$/g, '')]
    }
    return [{ unknown: node.text() }]
  },
}
