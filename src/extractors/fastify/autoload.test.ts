import { describe, expect, it } from 'vitest'
import { parseSource } from '../../languages/parse.js'
import { autoloadDir } from './autoload.js'

const dirOf = (expr: string) => {
  const root = parseSource('typescript', `const x = ${expr}`).root()
  return autoloadDir(root.find({ rule: { kind: 'variable_declarator' } })!.field('value')!)
}

describe('autoloadDir', () => {
  it.each([
    ["path.join(__dirname, 'routes')", './routes'],
    ["join(__dirname, 'routes', 'v1')", './routes/v1'],
    ["path.resolve(__dirname, './plugins')", './plugins'],
    ["join(import.meta.dirname, 'routes')", './routes'],
    ["fileURLToPath(new URL('./routes', import.meta.url))", './routes'],
    ["new URL('routes/', import.meta.url)", './routes'],
  ])('%s -> %s', (expr, dir) => {
    expect(dirOf(expr)).toBe(dir)
  })

  it.each(["path.join(process.cwd(), 'routes')", 'opts.dir', 'join(__dirname, name)'])('%s is computed at run time', (expr) => {
    expect(dirOf(expr)).toBeUndefined()
  })
})
