/**
 * The baseline MCP server: code-navigation tools over the bundled sample tree (or `SAMPLE_ROOT`),
 * over stdio. `find_references` re-reads and scans every file on each call, which is why the rewrite
 * indexes at start.
 */
import { existsSync } from 'node:fs'
import { join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { z } from 'zod'
import { listFiles, readLines, referencesIn, symbolsOf } from './scan.js'

const root = process.env.SAMPLE_ROOT ?? fileURLToPath(new URL('../sample', import.meta.url))

const json = (value: unknown) => ({ content: [{ type: 'text' as const, text: JSON.stringify(value) }] })
const error = (text: string) => ({ isError: true, content: [{ type: 'text' as const, text }] })

/** A path inside the sample tree, or undefined. */
function sampleFile(file: string): string | undefined {
  const clean = normalize(file).replace(/^(\.\/)+/, '')
  return !clean.startsWith('..') && existsSync(join(root, clean)) && listFiles(root).includes(clean) ? clean : undefined
}

const server = new McpServer({ name: 'codenav', version: '1.4.2' }, { instructions: 'Code navigation over a TypeScript source tree: definitions, references, symbols, text search.' })

server.registerTool(
  'find_definition',
  { description: 'Where a symbol (function, class, interface, type, const or method) is declared: file and 1-based line.', inputSchema: { symbol: z.string().describe('The name to look up.') } },
  async ({ symbol }) => {
    for (const file of listFiles(root)) {
      const found = symbolsOf(root, file).find((s) => s.name === symbol)
      if (found) return json(found)
    }
    return error(`no definition of ${symbol}`)
  },
)

server.registerTool(
  'find_references',
  {
    description: 'Every line where a symbol occurs as a whole word, across the tree.',
    inputSchema: { symbol: z.string().describe('The name to look for.'), limit: z.number().int().positive().optional().describe('At most this many (default 100).') },
    annotations: { readOnlyHint: true },
  },
  async ({ symbol, limit }) => {
    const refs = listFiles(root).flatMap((file) => referencesIn(root, file, symbol))
    return json({ symbol, total: refs.length, references: refs.slice(0, limit ?? 100) })
  },
)

server.registerTool(
  'list_symbols',
  { description: 'The symbols declared in one file, in order.', inputSchema: { file: z.string().describe('Path relative to the tree, e.g. src/shapes.ts.') } },
  async ({ file }) => {
    const f = sampleFile(file)
    return f ? json(symbolsOf(root, f).map(({ name, kind, line }) => ({ name, kind, line }))) : error(`no such file: ${file}`)
  },
)

server.registerTool(
  'search_text',
  { description: 'Lines containing a piece of text (case-sensitive).', inputSchema: { query: z.string().min(1) } },
  async ({ query }) => {
    const hits = listFiles(root).flatMap((file) => readLines(root, file).flatMap((text, i) => (text.includes(query) ? [{ file, line: i + 1, text: text.trim() }] : [])))
    return json({ query, hits })
  },
)

server.registerTool(
  'file_outline',
  { description: 'The outline of a file: top-level declarations with their methods nested.', inputSchema: { file: z.string() } },
  async ({ file }) => {
    const f = sampleFile(file)
    if (!f) return error(`no such file: ${file}`)
    const outline: Array<{ name: string; kind: string; line: number; children?: Array<{ name: string; line: number }> }> = []
    for (const s of symbolsOf(root, f)) {
      const parent = outline.at(-1)
      if (s.kind === 'method' && parent) (parent.children ??= []).push({ name: s.name, line: s.line })
      else outline.push({ name: s.name, kind: s.kind, line: s.line })
    }
    return json(outline)
  },
)

server.registerResource(
  'file',
  new ResourceTemplate('file:///{+path}', { list: async () => ({ resources: listFiles(root).map((f) => ({ uri: `file:///${f}`, name: f, mimeType: 'text/typescript' })) }) }),
  { description: 'A source file of the tree.', mimeType: 'text/typescript' },
  async (uri, { path }) => {
    const f = sampleFile(String(path))
    if (!f) throw new Error(`no such file: ${String(path)}`)
    return { contents: [{ uri: uri.href, mimeType: 'text/typescript', text: readLines(root, f).join('\n') }] }
  },
)

server.registerPrompt(
  'explain_symbol',
  { description: 'Ask for an explanation of a symbol, with its definition and references attached.', argsSchema: { symbol: z.string() } },
  async ({ symbol }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Explain what \`${symbol}\` does, using find_definition and find_references on this tree.` } }],
  }),
)

await server.connect(new StdioServerTransport())
