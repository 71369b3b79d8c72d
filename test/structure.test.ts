/**
 * The layout's rules, checked on the source: no import cycle anywhere in src/ (madge), and the
 * RunResult contract in model/ depends on nothing outside model/ (its producers depend on it).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import madge from 'madge'
import { expect, it } from 'vitest'

const repo = new URL('..', import.meta.url).pathname

it('has no import cycle in src/', async () => {
  const graph = await madge(join(repo, 'src'), { fileExtensions: ['ts'], tsConfig: join(repo, 'tsconfig.json'), excludeRegExp: [/\.test\.ts$/] })
  expect(Object.keys(graph.obj()).length).toBeGreaterThan(200)
  expect(graph.circular()).toEqual([])
})

it('keeps the contract in model/ free of the stages', () => {
  const outside: string[] = []
  for (const file of readdirSync(join(repo, 'src/model')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const text = readFileSync(join(repo, 'src/model', file), 'utf8')
    for (const m of text.matchAll(/from '(\.\.\/[^']+)'/g)) outside.push(`${file} -> ${m[1]}`)
  }
  expect(outside).toEqual([])
})

it('keeps the CLI a leaf: nothing outside src/cli imports it', () => {
  const found: string[] = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name)
      if (e.isDirectory()) {
        if (path !== join(repo, 'src/cli')) walk(path)
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/from '([^']*\/cli\/[^']+)'/g)) found.push(`${path.slice(repo.length)} -> ${m[1]}`)
      }
    }
  }
  walk(join(repo, 'src'))
  expect(found).toEqual([])
})
