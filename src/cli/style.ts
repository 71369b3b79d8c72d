/**
 * Colour for the terminal, through `node:util` `styleText`: only on a TTY, never with `NO_COLOR`,
 * `TERM=dumb` or in CI (`FORCE_COLOR` turns it on anywhere). Without colour every function returns its
 * text unchanged, so output piped to a file or another program is plain.
 */
import { styleText } from 'node:util'
import { PLAIN, type Style } from '../report/style.js'

/** Whether output to `stream` should be coloured. */
export function colourWanted(stream: { isTTY?: boolean } | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true
  if (env.CI || env.TERM === 'dumb') return false
  return !!stream?.isTTY
}

export function styleFor(stream: { isTTY?: boolean } | undefined, env: NodeJS.ProcessEnv = process.env): Style {
  if (!colourWanted(stream, env)) return PLAIN
  // The decision is made above, for the stream written to: styleText must not make it again for stdout.
  const paint = (format: Parameters<typeof styleText>[0]) => (text: string) => styleText(format, text, { validateStream: false } as never)
  return { enabled: true, ok: paint('green'), bad: paint('red'), warn: paint('yellow'), dim: paint('dim'), bold: paint('bold') }
}
