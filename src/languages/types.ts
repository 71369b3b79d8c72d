import type { SgNode } from '@ast-grep/napi'

/** A language parity parses; `typescript`, `tsx` and `javascript` share the `js` family. */
export type LanguageId = 'typescript' | 'tsx' | 'javascript' | 'rust' | 'go' | 'python'
export type LanguageFamily = 'js' | 'rust' | 'go' | 'python'

/**
 * A path as written in code, before cross-file resolution: literal text, a reference to a
 * constant (`API_PREFIX`, `ROUTES.users`, `paths::USERS`), a framework-wide setting (NestJS's
 * global prefix), or an expression that cannot be known statically.
 */
export type PathPart =
  | string
  /** A name; with `struct`, a value of that struct type, whose fields are read as `Type.field` (Rust's `const ROUTES: Routes = Routes::new()`). */
  | { ref: string; struct?: true }
  | { setting: string; value?: string }
  /** `why` completes "`text` is ..." (default: computed at run time). */
  | { unknown: string; why?: string }
export type PathExpr = PathPart[]

/** Import, export and constant tables of one file, used by `scan/` to resolve across files. */
export interface ModuleInfo {
  /** local name -> where it comes from: module specifier and exported name (`default`, `*` for a namespace). */
  imports: Record<string, { module: string; name: string }>
  /** exported name -> local name. */
  exports: Record<string, string>
  /** Top-level string constants, including object members as `OBJ.key`. */
  constants: Record<string, PathExpr>
  /**
   * Go: the named type each top-level function returns first (`NewHandler` -> `Handler`,
   * `handlers.Handler` when it is another package's), so that `NewHandler(db).Routes` can be followed
   * to the method `Handler.Routes`.
   */
  results?: Record<string, string>
}

/** A language's part in the engine: module tables and string evaluation over its syntax tree. */
export interface LanguageSupport {
  family: LanguageFamily
  analyzeModule(root: SgNode): ModuleInfo
  /** Evaluate a string-valued expression (literal, template, concatenation, constant reference). */
  pathOf(node: SgNode): PathExpr
}
