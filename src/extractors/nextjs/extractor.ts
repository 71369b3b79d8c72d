/**
 * Next.js route handlers: https://nextjs.org/docs/app/building-your-application/routing/route-handlers
 * App Router `app/**\/route.ts` files exporting `GET`, `POST`, ... (functions, consts, `export {
 * handler as GET }`, `export const { GET, POST } = handlers`), Pages Router API routes
 * `pages/api/**` (a default export, every method), under `src/` or not, the path taken from the
 * file's place in the project. `basePath` from next.config is a setting of that project.
 */
import type { SgNode } from '@ast-grep/napi'
import { streamsEvents } from '../js-syntax.js'
import { literalText } from '../js-options.js'
import { defineExtractor, type ExtractContext, type FileFacts, type ParsedFile, type RouteFact } from '../types.js'
import { fileRoute } from './file-route.js'
import { extractor as honoExtractor } from '../hono/extractor.js'

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])
const CONFIG = /^next\.config\.(js|mjs|cjs|ts|mts)$/
const HONO_ADAPTERS = new Set(['hono/vercel', 'hono/nextjs'])

export const extractor = defineExtractor({
  id: 'nextjs',
  family: 'js',
  docs: 'https://nextjs.org/docs/app/building-your-application/routing/route-handlers',
  detect: (m) => m.dependencies.has('next'),
  needles: ['export', 'basePath'],
  files: ['**/app/**/route.{js,jsx,ts,tsx,mjs,cjs,mts,cts}', '**/pages/api/**', '**/next.config.{js,mjs,cjs,ts,mts}'],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], settings: {} }
    const project = projectDir(file)
    const rel = project && file.path.startsWith(`${project}/`) ? file.path.slice(project.length + 1) : file.path
    if (CONFIG.test(rel)) {
      readBasePath(file, ctx, facts, project)
      return facts
    }
    const route = fileRoute(rel)
    if (!route) return facts
    // `export const GET = handle(app)` (hono/vercel): the handler is a Hono app, which serves its own routes
    // under its basePath. https://hono.dev/docs/getting-started/nextjs
    if (Object.values(file.module.imports).some((i) => HONO_ADAPTERS.has(i.module))) {
      const hono = honoExtractor.extract(file, ctx)
      return { ...facts, routes: (hono.routes ?? []).map((r) => ({ ...r, framework: 'hono' })), mounts: hono.mounts ?? [] }
    }
    const path = [{ setting: basePathKey(project) }, route.path]
    if (route.router === 'pages') {
      const handler = defaultExport(file)
      if (handler) {
        facts.routes.push({
          kind: streamsEvents(file.root, file.source, [handler.node]) ? 'sse' : 'route',
          methods: ['ALL'],
          path,
          line: handler.line,
          ...(handler.name ? { handler: handler.name } : {}),
        })
      }
      return facts
    }
    for (const h of methodExports(file, ctx)) {
      const fact: RouteFact = { kind: streamsEvents(file.root, file.source, [h.node]) ? 'sse' : 'route', methods: [h.method], path, line: h.line }
      if (h.handler) fact.handler = h.handler
      facts.routes.push(fact)
    }
    return facts
  },
})

interface MethodExport {
  method: string
  /** The function or identifier that handles it, for SSE detection. */
  node: SgNode
  handler?: string
  line: number
}

/** The exports of a route.ts named after HTTP methods. */
function methodExports(file: ParsedFile, ctx: ExtractContext): MethodExport[] {
  const out: MethodExport[] = []
  for (const stmt of file.root.children()) {
    if (stmt.kind() !== 'export_statement') continue
    const decl = stmt.field('declaration')
    if (decl?.kind() === 'function_declaration') {
      const name = decl.field('name')
      if (name && METHODS.has(name.text())) out.push({ method: name.text(), node: name, handler: name.text(), line: ctx.lineOf(name) })
      continue
    }
    if (decl?.kind() === 'lexical_declaration' || decl?.kind() === 'variable_declaration') {
      for (const d of decl.children()) {
        if (d.kind() !== 'variable_declarator') continue
        const name = d.field('name')
        const value = d.field('value')
        if (!name || !value) continue
        if (name.kind() === 'identifier' && METHODS.has(name.text())) {
          const handler = value.kind() === 'identifier' ? value.text() : name.text()
          out.push({ method: name.text(), node: value, handler, line: ctx.lineOf(name) })
        } else if (name.kind() === 'object_pattern') {
          // `export const { GET, POST } = handlers` (Auth.js and other route factories).
          for (const p of name.namedChildren()) {
            const key = p.kind() === 'shorthand_property_identifier_pattern' ? p : p.kind() === 'pair_pattern' ? p.field('value') : null
            if (key && METHODS.has(key.text()))
              out.push({
                method: key.text(),
                node: value,
                handler: `${value.text()}.${p.kind() === 'pair_pattern' ? p.field('key')?.text() : key.text()}`,
                line: ctx.lineOf(key),
              })
          }
        }
      }
      continue
    }
    const clause = stmt.children().find((c) => c.kind() === 'export_clause')
    if (clause) {
      for (const spec of clause.children()) {
        if (spec.kind() !== 'export_specifier') continue
        const local = spec.field('name')
        const exported = spec.field('alias') ?? local
        if (local && exported && METHODS.has(exported.text()))
          out.push({ method: exported.text(), node: local, handler: local.text(), line: ctx.lineOf(exported) })
      }
    } else if (stmt.children().some((c) => c.text() === '*')) {
      ctx.diagnose({ code: 'UNSUPPORTED_FORM', line: ctx.lineOf(stmt), message: `\`${stmt.text()}\` may export route methods parity does not follow` })
    }
  }
  return out
}

/** A Pages Router API route's handler: `export default function handler`, `export default handler`, `module.exports = handler`. */
function defaultExport(file: ParsedFile): { node: SgNode; name?: string; line: number } | undefined {
  for (const stmt of file.root.children()) {
    const line = stmt.range().start.line + 1
    if (stmt.kind() === 'export_statement' && stmt.children().some((c) => c.kind() === 'default')) {
      const value = stmt.field('declaration') ?? stmt.field('value')
      if (!value) continue
      const name = value.kind() === 'identifier' ? value.text() : value.field('name')?.text()
      return { node: value.kind() === 'function_declaration' && name ? value.field('name')! : value, ...(name ? { name } : {}), line }
    }
    if (stmt.kind() === 'export_statement') {
      const spec = stmt.find({ rule: { kind: 'export_specifier', has: { field: 'alias', regex: '^default$' } } })
      const local = spec?.field('name')
      if (local) return { node: local, name: local.text(), line }
    }
    if (stmt.kind() === 'expression_statement') {
      const expr = stmt.namedChildren()[0]
      if (expr?.kind() === 'assignment_expression' && expr.field('left')?.text() === 'module.exports') {
        const value = expr.field('right')!
        const name = value.kind() === 'identifier' ? value.text() : value.field('name')?.text()
        return { node: value, ...(name ? { name } : {}), line }
      }
    }
  }
  return undefined
}

/** `basePath: '/docs'` in next.config: every route of the project is served under it. */
function readBasePath(file: ParsedFile, ctx: ExtractContext, facts: FileFacts, project: string): void {
  const pair = file.root.find({ rule: { kind: 'pair', has: { field: 'key', regex: '^[\'"]?basePath[\'"]?$' } } })
  const value = pair?.field('value')
  if (!pair || !value) return
  const text = literalText(ctx.pathOf(value), file.module)
  if (text === undefined) {
    ctx.diagnose({
      code: 'UNRESOLVED_PATH',
      line: ctx.lineOf(pair),
      message: `basePath \`${value.text()}\` is computed at run time; the project's routes are listed without it`,
      known: '{?}',
    })
    return
  }
  facts.settings![basePathKey(project)] = text
}

/** Settings are shared by the whole scan: each Next project (monorepos hold several) has its own basePath. */
function basePathKey(project: string): string {
  return `next.basePath:${project}`
}

/** The Next project a file belongs to: the folder of its package.json, or the scanned root. */
function projectDir(file: ParsedFile): string {
  const manifest = file.manifest?.file
  if (!manifest) return ''
  const slash = manifest.lastIndexOf('/')
  return slash === -1 ? '' : manifest.slice(0, slash)
}
