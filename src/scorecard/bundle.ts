/**
 * Bundle size of a built front end: raw and gzip bytes (level 9, as a server would send it) of
 * every `.js` and `.css` file under the build folder (source maps and other assets left out).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { gzipSync, constants } from 'node:zlib'
import { ParityError } from '../model/errors.js'

export interface BundleEntry {
  /** Relative to the build folder, `/` separators. */
  file: string
  raw: number
  gzip: number
}

export interface BundleSize {
  entries: BundleEntry[]
  raw: number
  gzip: number
}

const COUNTED = ['.js', '.mjs', '.cjs', '.css']

export function measureBundle(dir: string, label = dir): BundleSize {
  let isDir = false
  try {
    isDir = statSync(dir).isDirectory()
  } catch {
    throw new ParityError('NO_BUNDLE', `${label}: no such build folder`, 'build the front end first (`npm run build`), or fix the `scorecard.bundle` path')
  }
  if (!isDir)
    throw new ParityError('NO_BUNDLE', `${label} is a file, not a build folder`, 'point `scorecard.bundle` at the folder the build writes (`dist`, `build`)')
  const entries: BundleEntry[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name)
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(full)
      } else if (e.isFile() && COUNTED.some((x) => e.name.endsWith(x))) {
        const bytes = readFileSync(full)
        entries.push({
          file: relative(dir, full).split(sep).join('/'),
          raw: bytes.length,
          gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length,
        })
      }
    }
  }
  walk(dir)
  if (!entries.length)
    throw new ParityError(
      'EMPTY_BUNDLE',
      `${label}: no .js or .css file in the build folder`,
      'build the front end first, or point `scorecard.bundle` at the folder holding the built assets',
    )
  entries.sort((a, b) => b.gzip - a.gzip || a.file.localeCompare(b.file))
  return { entries, raw: entries.reduce((s, e) => s + e.raw, 0), gzip: entries.reduce((s, e) => s + e.gzip, 0) }
}
