import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ParityError } from '../model/errors.js'
import { builtinExtractors } from './registry.js'
import type { Extractor } from './types.js'

const FAMILIES = new Set(['js', 'rust', 'go', 'python'])

/** The built-in extractors plus the user's own modules, each checked against the contract. */
export async function loadExtractors(modules: string[]): Promise<Extractor[]> {
  const out = [...builtinExtractors]
  for (const spec of modules) {
    let mod: Record<string, unknown>
    try {
      mod = (await import(pathToFileURL(resolve(spec)).href)) as Record<string, unknown>
    } catch (e) {
      throw new ParityError(
        'BAD_EXTRACTOR',
        `cannot load extractor ${spec}: ${(e as Error).message.split('\n')[0]}`,
        'pass the path of a built .js/.mjs module that exports `extractor`',
      )
    }
    const x = (mod.extractor ?? mod.default) as Partial<Extractor> | undefined
    const problems: string[] = []
    if (!x || typeof x !== 'object') problems.push('it exports no `extractor` object')
    else {
      if (typeof x.id !== 'string' || !x.id) problems.push('`id` must be a non-empty string')
      if (!x.family || !FAMILIES.has(x.family)) problems.push('`family` must be js, rust, go or python')
      if (typeof x.detect !== 'function') problems.push('`detect(manifest)` must be a function')
      if (typeof x.extract !== 'function') problems.push('`extract(file, ctx)` must be a function')
      if (x.needles !== undefined && !Array.isArray(x.needles)) problems.push('`needles` must be an array of strings')
    }
    if (problems.length) {
      throw new ParityError(
        'BAD_EXTRACTOR',
        `extractor ${spec} does not follow the contract: ${problems.join('; ')}`,
        'see the Extractor type exported by parity (id, family, detect, extract)',
      )
    }
    out.push(x as Extractor)
  }
  return out
}
