import { posix } from 'node:path'
import type { ModuleResolver } from './types.js'

/**
 * Rust module paths to files, from the crate root (the `src/` folder beside the nearest
 * Cargo.toml): `crate::a::b`, `self::x`, `super::x`, and (2018 uniform paths) `x::y` relative to
 * the current module. `a::b` is `src/a/b.rs` or `src/a/b/mod.rs`; the crate itself is
 * `src/main.rs` or `src/lib.rs`. A path naming an item inside a module, or an external crate,
 * gives no file: the caller then tries the enclosing module.
 */
export const resolveRustModule: ModuleResolver = (spec, fromFile, ctx) => {
  const manifest = ctx.manifestFor(fromFile, 'rust').file
  const crateDir = manifest ? posix.dirname(manifest) : undefined
  const srcDir = crateSrcDir(fromFile, crateDir)
  const current = modulePathOf(fromFile, srcDir)
  const segs = spec.split('::').filter(Boolean)
  if (segs.length === 0) return []
  let base: string[]
  let rest: string[]
  if (segs[0] === 'crate') {
    base = []
    rest = segs.slice(1)
  } else if (segs[0] === 'self' || segs[0] === 'super') {
    base = [...current]
    let i = 0
    if (segs[0] === 'self') i = 1
    for (; segs[i] === 'super'; i++) {
      if (base.length === 0) return []
      base.pop()
    }
    rest = segs.slice(i)
  } else {
    // Uniform paths: a child module of the current one, else (2015 style) of the crate root.
    const local = moduleFiles(srcDir, [...current, ...segs], ctx.files)
    return local.length || current.length === 0 ? local : moduleFiles(srcDir, segs, ctx.files)
  }
  return moduleFiles(srcDir, [...base, ...rest], ctx.files)
}

/** `src/` of the crate: beside the Cargo.toml, else the nearest `src` folder above the file. */
function crateSrcDir(file: string, crateDir: string | undefined): string {
  if (crateDir !== undefined) return crateDir === '.' || crateDir === '' ? 'src' : `${crateDir}/src`
  const parts = file.split('/')
  const at = parts.lastIndexOf('src', parts.length - 2)
  return at === -1 ? posix.dirname(file) : parts.slice(0, at + 1).join('/')
}

/** The module path of a file: `src/a/b.rs` and `src/a/b/mod.rs` -> `[a, b]`; `src/main.rs` -> `[]`. */
export function modulePathOf(file: string, srcDir: string): string[] {
  if (!file.startsWith(`${srcDir}/`)) return []
  const parts = file
    .slice(srcDir.length + 1)
    .replace(/\.rs$/, '')
    .split('/')
  const last = parts[parts.length - 1]
  if (last === 'mod' || (parts.length === 1 && (last === 'main' || last === 'lib'))) parts.pop()
  return parts
}

function moduleFiles(srcDir: string, path: string[], files: ReadonlySet<string>): string[] {
  const candidates = path.length === 0 ? [`${srcDir}/main.rs`, `${srcDir}/lib.rs`] : [`${srcDir}/${path.join('/')}.rs`, `${srcDir}/${path.join('/')}/mod.rs`]
  return candidates.filter((c) => files.has(c))
}
