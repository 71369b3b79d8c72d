import type { Manifest } from '../../extractors/types.js'
import type { LanguageFamily } from '../../languages/types.js'

export interface ModuleResolveContext {
  /** Every scanned source file, relative to the root. */
  files: ReadonlySet<string>
  /** Files by folder, for languages whose module is a folder (Go packages). */
  filesInDir(dir: string): string[]
  manifestFor(file: string, family: LanguageFamily): Manifest
}

/**
 * Turn a module specifier written in `fromFile` into the scanned files it names: one file for a
 * JS or Python module, every file of a folder for a Go package. Empty when it is external.
 */
export type ModuleResolver = (spec: string, fromFile: string, ctx: ModuleResolveContext) => string[]
