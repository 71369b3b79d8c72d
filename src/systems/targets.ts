/**
 * One policy for every command that sends traffic: loopback, and the hosts the config names, are
 * allowed; any other host only with `--allow-remote`. Checked before the first connection.
 */
import { ParityError } from '../model/errors.js'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

export function isLoopbackUrl(u: URL): boolean {
  return LOOPBACK.has(u.hostname) || /^127\.\d+\.\d+\.\d+$/.test(u.hostname)
}

/**
 * The URL of a target a command was given on its command line: loopback unless `allowRemote`.
 * `protocols` the schemes the command speaks (`http:` for load).
 */
export function checkTarget(url: string, options: { allowRemote?: boolean; protocols?: string[]; what?: string } = {}): URL {
  const protocols = options.protocols ?? ['http:', 'https:']
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new ParityError('BAD_URL', `${url} is not a URL`, 'give a base URL like http://127.0.0.1:3000')
  }
  if (!protocols.includes(u.protocol))
    throw new ParityError('BAD_URL', `${url}: only ${protocols.join(' or ')} targets`, 'give the address the server listens on, e.g. http://127.0.0.1:3000')
  if (!options.allowRemote && !isLoopbackUrl(u)) {
    throw new ParityError(
      'REMOTE_TARGET',
      `${url} is not on this machine; parity sends ${options.what ?? 'traffic'} only to loopback and the hosts a config names`,
      "pass --allow-remote if you own that server and mean to reach it, or name it as a system's url in the config",
    )
  }
  return u
}
