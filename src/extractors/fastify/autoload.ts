/** The folder an `@fastify/autoload` registration loads, relative to the registering file. */
import { posix } from 'node:path'
import type { SgNode } from '@ast-grep/napi'
import { stringLiteral } from '../../languages/typescript.js'
import { argsOf } from '../js-syntax.js'

const HERE = new Set(['__dirname', 'import.meta.dirname'])

/**
 * `path.join(__dirname, 'routes')`, `join(import.meta.dirname, 'routes', 'v1')`, `path.resolve(__dirname, 'routes')`,
 * `fileURLToPath(new URL('./routes', import.meta.url))`: `./routes`; undefined when computed at run time.
 */
export function autoloadDir(node: SgNode): string | undefined {
  const k = node.kind()
  if (k === 'call_expression') {
    const fn = node.field('function')
    const name = fn?.kind() === 'member_expression' ? fn.field('property')?.text() : fn?.text()
    const args = argsOf(node)
    if (name === 'fileURLToPath' && args[0]) return autoloadDir(args[0])
    if (name !== 'join' && name !== 'resolve') return undefined
    if (!args[0] || !HERE.has(args[0].text())) return undefined
    const rest = args.slice(1).map(stringLiteral)
    if (rest.some((s) => s === undefined)) return undefined
    return `./${posix.join('.', ...(rest as string[]))}`.replace(/\/$/, '')
  }
  if (k === 'new_expression' && node.field('constructor')?.text() === 'URL') {
    const args = argsOf(node)
    const rel = args[0] && stringLiteral(args[0])
    if (rel === undefined || args[1]?.text() !== 'import.meta.url') return undefined
    return `./${posix.join('.', rel)}`.replace(/\/$/, '')
  }
  return undefined
}
