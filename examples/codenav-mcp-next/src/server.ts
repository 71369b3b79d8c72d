/**
 * The rewrite of the codenav MCP server, in progress: the tree is indexed once at start. Ported:
 * find_definition, find_references, list_symbols (now filtered by kind), file_outline, the file
 * resource and the explain_symbol prompt. Not yet: search_text.
 */
import { fileURLToPath } from 'node:url'
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { z } from 'zod'
import { buildIndex } from './index.js'
import { readLines } from './scan.js'

const root = process.env.SAMPLE_ROOT ?? fileURLToPath(new URL('../../codenav-mcp/sample', import.meta.url))
const index = buildIndex(root)

const json = (value: unknown) => ({ content: [{ type: 'text' as const, text: JSON.stringify(value) }] })
const error = (text: string) => ({ isError: true, content: [{ type: 'text' as const, text }] })
const sampleFile = (file: string) => {
  const clean = file.replace(/^(\.\/)+/, '')
  return index.files.includes(clean) ? clean : undefined
}

const server = new McpServer({ name: 'codenav', version: '2.0.0-alpha.3' }, { instructions: 'Code navigation over a TypeScript source tree: definitions, references, symbols, text search.' })

server.registerTool(
  'find_definition',
  { description: 'Where a symbol (function, class, interface, type, const or method) is declared: file and 1-based line.', inputSchema: { symbol: z.string().describe('The name to look up.') } },
  async ({ symbol }) => {
    const found = index.symbols.find((s) => s.name === symbol)
    // Editors count lines from 0, so the rewrite does too.
    return found ? json({ ...found, line: found.line - 1 }) : error(`no definition of ${symbol}`)
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
    const refs = index.references.get(symbol) ?? []
    return json({ symbol, total: refs.length, references: refs.slice(0, limit ?? 100) })
  },
)

const KINDS = ['function', 'class', 'interface', 'type', 'const', 'method', 'all'] as const

server.registerTool(
  'list_symbols',
  {
    description: 'The symbols declared in one file, in order.',
    inputSchema: { file: z.string().describe('Path relative to the tree, e.g. src/shapes.ts.'), kind: z.enum(KINDS).describe('Only symbols of this kind (`all` for every kind).') },
  },
  async ({ file, kind }) => {
    const f = sampleFile(file)
    if (!f) return error(`no such file: ${file}`)
    return json(index.symbols.filter((s) => s.file === f && (kind === 'all' || s.kind === kind)).map(({ name, kind: k, line }) => ({ name, kind: k, line })))
  },
)

server.registerTool(
  'file_outline',
  { description: 'Outline of one file: its top-level declarations, each class with its methods.', inputSchema: { file: z.string() } },
  async ({ file }) => {
    const f = sampleFile(file)
    if (!f) return error(`no such file: ${file}`)
    const outline: Array<{ name: string; kind: string; line: number; children?: Array<{ name: string; line: number }> }> = []
    for (const s of index.symbols.filter((x) => x.file === f)) {
      const parent = outline.at(-1)
      if (s.kind === 'method' && parent) (parent.children ??= []).push({ name: s.name, line: s.line })
      else outline.push({ name: s.name, kind: s.kind, line: s.line })
    }
    return json(outline)
  },
)

server.registerResource(
  'file',
  new ResourceTemplate('file:///{+path}', { list: async () => ({ resources: index.files.map((f) => ({ uri: `file:///${f}`, name: f, mimeType: 'text/typescript' })) }) }),
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
