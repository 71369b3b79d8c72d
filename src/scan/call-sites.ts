/**
 * The second, narrow pass of a scan: once every file's facts are in, the calls to the functions that
 * mount one of their parameters (`s.MountRouter("API", "/api", CreateRouter())`) are read from the
 * files that name them, including files no extractor wanted. Only Go has such functions today.
 */
import { readFileSync } from 'node:fs'
import { goFile } from '../extractors/go/file.js'
import { collectCallSites } from '../extractors/go/mounts.js'
import type { CallFact, Manifest } from '../extractors/types.js'
import { languageOfFile } from '../languages/parse.js'
import type { LanguageFamily } from '../languages/types.js'
import type { Diagnostic } from '../model/inventory.js'
import { parseModule } from './file.js'
import type { CallSites } from './resolve.js'
import { isTestFile } from './test-files.js'
import { fsDiagnostic } from './walk.js'

export function callSitesReader(abs: string, manifestFor: (file: string, family: LanguageFamily) => Manifest, diagnostics: Diagnostic[]): CallSites {
  return (file, family, names) => {
    // A test calls the function with what the test builds, not what the system serves.
    if (family !== 'go' || isTestFile(file)) return []
    let source: string
    try {
      source = readFileSync(`${abs}/${file}`, 'utf8')
    } catch (e) {
      diagnostics.push(fsDiagnostic(e, file))
      return []
    }
    if (![...names].some((n) => source.includes(`${n}(`))) return []
    const parsed = parseModule(file, source, [])
    if (!parsed) return []
    const language = languageOfFile(file)!
    const g = goFile({ path: file, language, family, source, root: parsed.root, module: parsed.module, manifest: manifestFor(file, family) })
    return collectCallSites(g, names) satisfies CallFact[]
  }
}
