// Bundles the browser client (src/dashboard/client/*.ts) into one script, dist/dashboard/client/app.js,
// beside its style.css: the files `parity serve` serves and the HTML report inlines. Both read them
// from dist/dashboard/client under the package root (src/dashboard/client-assets.ts), from the
// compiled code and from the sources alike, so this runs before either is used.
import { cpSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const from = `${root}src/dashboard/client/`
const to = `${root}dist/dashboard/client/`

// Only what this build writes is served: nothing stale from an earlier layout.
rmSync(to, { recursive: true, force: true })
mkdirSync(to, { recursive: true })
await build({
  entryPoints: [`${from}main.ts`],
  outfile: `${to}app.js`,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  charset: 'ascii',
  legalComments: 'none',
  logLevel: 'warning',
})
cpSync(`${from}style.css`, `${to}style.css`)
console.log(`dashboard client: dist/dashboard/client/app.js ${statSync(`${to}app.js`).size} bytes`)
