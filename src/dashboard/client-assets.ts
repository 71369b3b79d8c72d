/**
 * Where the browser client is: the bundle `npm run build` writes (scripts/build-client.mjs) to
 * dist/dashboard/client under the package root, with its style.css. The dashboard serves these files
 * and the HTML report inlines them.
 */
import { fileURLToPath } from 'node:url'
import { ParityError } from '../model/errors.js'

// This module is src/dashboard/ in development (tsx, vitest) and dist/dashboard/ once built: two
// folders below the package root either way, so both find the one bundle.
/** The client's folder, ending with `/`. */
export const CLIENT_DIR = fileURLToPath(new URL('../../dist/dashboard/client/', import.meta.url))

/** The error for a client that was not built. */
export function clientMissing(): ParityError {
  return new ParityError(
    'CLIENT_MISSING',
    `the dashboard client is missing (${CLIENT_DIR})`,
    'run `npm run build`, which bundles src/dashboard/client into dist/dashboard/client',
  )
}
