/**
 * Writing the vault to disk, re-runnable into the same folder: what a person wrote below
 * {@link VAULT_MARKER} in a page is kept, what is above is rewritten; folders are created; files that
 * are not in the vault are never touched or deleted.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join, normalize, sep } from 'node:path'
import { ParityError } from '../../model/errors.js'
import { VAULT_MARKER } from './vault-context.js'

export interface WriteVaultResult {
  /** Relative paths created or changed, in the order given. */
  written: string[]
  /** Relative paths whose content was already up to date (left as they were). */
  unchanged: string[]
}

/**
 * The new content of a page given what is on disk: the generated part up to and including the
 * marker, then the existing text after the marker. An existing file without the marker (a person's
 * own page under the same name) is kept whole below the marker, so nothing is lost.
 */
export function mergePage(generated: string, existing: string | undefined): string {
  if (existing === undefined) return generated
  const at = generated.indexOf(VAULT_MARKER)
  const head = at < 0 ? `${generated.replace(/\n*$/, '\n\n')}${VAULT_MARKER}` : generated.slice(0, at + VAULT_MARKER.length)
  const kept = existing.indexOf(VAULT_MARKER)
  const tail = kept < 0 ? `\n\n${existing}` : existing.slice(kept + VAULT_MARKER.length)
  return head + (tail || '\n')
}

/** Write the pages of `files` (relative path -> content) under `dir`. */
export function writeVault(dir: string, files: Map<string, string>): WriteVaultResult {
  const result: WriteVaultResult = { written: [], unchanged: [] }
  try {
    mkdirSync(dir, { recursive: true })
  } catch (e) {
    throw new ParityError(
      'OUT_UNWRITABLE',
      `cannot create the vault folder ${dir}: ${(e as Error).message}`,
      'choose another --out folder or fix its permissions',
    )
  }
  for (const [rel, content] of files) {
    const clean = normalize(rel)
    if (isAbsolute(rel) || clean === '..' || clean.startsWith(`..${sep}`))
      throw new ParityError('BAD_VAULT_PATH', `vault page ${rel} is outside the vault`, 'page paths are relative to the vault folder')
    const path = join(dir, clean)
    let existing: string | undefined
    if (existsSync(path)) existing = readFileSync(path, 'utf8')
    const next = mergePage(content, existing)
    if (next === existing) {
      result.unchanged.push(rel)
      continue
    }
    try {
      mkdirSync(dirname(path), { recursive: true })
      // Write beside and rename: a page is never left half written.
      const tmp = `${path}.${process.pid}.tmp`
      writeFileSync(tmp, next)
      renameSync(tmp, path)
    } catch (e) {
      throw new ParityError('OUT_UNWRITABLE', `cannot write ${path}: ${(e as Error).message}`, 'choose another --out folder or fix its permissions')
    }
    result.written.push(rel)
  }
  return result
}
