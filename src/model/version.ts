import { createRequire } from 'node:module'

/** parity's version, from its package.json (read on demand: `--version` stays fast). */
export function parityVersion(): string {
  const require = createRequire(import.meta.url)
  return (require('../../package.json') as { version: string }).version
}
