/**
 * The index the rewrite builds once at start: every symbol, and every whole-word occurrence of
 * every identifier, so that `find_references` is a map lookup instead of a scan of the tree.
 */
import { listFiles, readLines, symbolsOf, type Reference, type SymbolInfo } from './scan.js'

export interface CodeIndex {
  files: string[]
  symbols: SymbolInfo[]
  references: Map<string, Reference[]>
}

export function buildIndex(root: string): CodeIndex {
  const files = listFiles(root)
  const references = new Map<string, Reference[]>()
  for (const file of files) {
    readLines(root, file).forEach((text, i) => {
      // Each identifier once per line, as the baseline's whole-word scan counts it.
      for (const word of new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? [])) {
        let list = references.get(word)
        if (!list) references.set(word, (list = []))
        list.push({ file, line: i + 1, text: text.trim() })
      }
    })
  }
  return { files, symbols: files.flatMap((f) => symbolsOf(root, f)), references }
}
