/**
 * OpenAPI 3.x and Swagger 2.0 documents (YAML or JSON) as inventories, and the comparison of a
 * document found inside a scanned tree with the routes the code serves.
 */
import { readFileSync } from 'node:fs'
import { LineCounter, parseDocument, isMap, type Document } from 'yaml'
import { ParityError } from '../model/errors.js'
import { INVENTORY_SCHEMA, isResolvedEndpoint, type Diagnostic, type EndpointItem, type Inventory } from '../model/inventory.js'
import { componentOf, joinPaths, normalizePath, routeKey } from '../model/path.js'
import { compareItems } from '../scan/resolve.js'

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/** True when the start of a YAML/JSON file declares `openapi:` or `swagger:` at the top level. */
export function isSpecText(head: string): boolean {
  return /^\s*["']?(openapi|swagger)["']?\s*:/m.test(head)
}

interface SpecRead {
  items: EndpointItem[]
  diagnostics: Diagnostic[]
}

/** Operations of one document. `file` is how the document is named in sources and messages. */
export function readSpec(text: string, file: string, label = file): SpecRead {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false })
  if (doc.errors.length) {
    const err = doc.errors[0]!
    const line = err.linePos?.[0].line ?? lineCounter.linePos(err.pos[0]).line
    throw new ParityError(
      'BAD_OPENAPI',
      `${label}:${line}: malformed document: ${err.message.split('\n')[0]}`,
      'fix the YAML/JSON syntax at that line (a validator such as `npx @redocly/cli lint` shows more)',
    )
  }
  const data = doc.toJS() as Record<string, unknown> | null
  const version = data && (data.openapi ?? data.swagger)
  if (!data || typeof data !== 'object' || version === undefined) {
    throw new ParityError(
      'BAD_OPENAPI',
      `${label} is not an OpenAPI document: it has no \`openapi\` or \`swagger\` field`,
      'pass an OpenAPI 3.x or Swagger 2.0 document, or a source folder',
    )
  }
  const paths = data.paths
  if (paths !== undefined && (typeof paths !== 'object' || paths === null || Array.isArray(paths))) {
    throw new ParityError(
      'BAD_OPENAPI',
      `${label}:${lineOf(doc, lineCounter, ['paths'])}: \`paths\` must be a mapping of path to operations`,
      'write `paths:` as a mapping such as `/users: {get: ...}`',
    )
  }
  const base = basePath(data)
  const items: EndpointItem[] = []
  const diagnostics: Diagnostic[] = []
  for (const [path, ops] of Object.entries((paths ?? {}) as Record<string, unknown>)) {
    if (!ops || typeof ops !== 'object') {
      diagnostics.push({
        level: 'warn',
        code: 'BAD_OPENAPI_PATH',
        file,
        line: lineOf(doc, lineCounter, ['paths', path]),
        message: `path ${path} has no operations`,
      })
      continue
    }
    for (const method of METHODS) {
      const op = (ops as Record<string, unknown>)[method] as Record<string, unknown> | undefined
      if (!op) continue
      const full = normalizePath(joinPaths(base, path))
      const m = method.toUpperCase()
      items.push({
        kind: 'route',
        method: m,
        path: full,
        key: routeKey(m, full),
        framework: 'openapi',
        component: componentOf(full),
        ...(typeof op.operationId === 'string' ? { handler: op.operationId } : {}),
        source: { file, line: lineOf(doc, lineCounter, ['paths', path, method]) },
      })
    }
  }
  items.sort(compareItems)
  return { items, diagnostics }
}

/** The path part of Swagger's `basePath` or of the first OpenAPI server URL (variables take their defaults). */
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI or Swagger document of either version, read field by field
function basePath(data: Record<string, any>): string {
  if (typeof data.basePath === 'string') return data.basePath
  const server = Array.isArray(data.servers) ? data.servers[0] : undefined
  if (!server || typeof server.url !== 'string') return ''
  let url: string = server.url
  for (const [name, v] of Object.entries((server.variables ?? {}) as Record<string, { default?: string }>)) {
    url = url.replaceAll(`{${name}}`, String(v?.default ?? ''))
  }
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(url)
  const path = m ? (m[1] ?? '') : url
  return path === '/' ? '' : path.replace(/\/$/, '')
}

function lineOf(doc: Document, counter: LineCounter, path: string[]): number {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined
  let offset = node?.range?.[0]
  if (path.length) {
    // The key's line reads better than the value's: find the pair in the parent map.
    const parent = doc.getIn(path.slice(0, -1), true)
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === path[path.length - 1])
      const keyRange = (pair?.key as { range?: [number, number, number] } | null)?.range
      if (keyRange) offset = keyRange[0]
    }
  }
  return offset === undefined ? 1 : counter.linePos(offset).line
}

/** `parity scan openapi.yaml`: the document's operations as an inventory. */
export function readSpecInventory(abs: string, root: string): Inventory {
  let text: string
  try {
    text = readFileSync(abs, 'utf8')
  } catch (e) {
    throw new ParityError('READ_ERROR', `cannot read ${root}: ${(e as Error).message}`, 'check the path and its permissions')
  }
  const name = root.slice(Math.max(root.lastIndexOf('/'), root.lastIndexOf('\\')) + 1)
  const { items, diagnostics } = readSpec(text, name, root)
  return {
    schema: INVENTORY_SCHEMA,
    root,
    frameworks: ['openapi'],
    items,
    diagnostics,
    stats: { files: 1, parsed: 1, lines: text.split('\n').length, skipped: {} },
  }
}

/**
 * Compare OpenAPI documents found in a scanned tree with the code: operations the code lacks
 * (`SPEC_ONLY`) and routes the documents do not describe (`UNDOCUMENTED`). A document whose paths
 * omit a prefix the code serves under still matches by suffix.
 */
export function compareWithSpecs(inventory: Inventory, abs: string, specs: string[]): void {
  const specItems: EndpointItem[] = []
  for (const rel of specs) {
    try {
      const read = readSpec(readFileSync(`${abs}/${rel}`, 'utf8'), rel)
      specItems.push(...read.items)
      inventory.diagnostics.push(...read.diagnostics)
    } catch (e) {
      const message = e instanceof ParityError ? e.message : (e as Error).message
      inventory.diagnostics.push({ level: 'warn', code: 'BAD_OPENAPI', file: rel, message })
    }
  }
  if (!specItems.length) return
  const codeRoutes = inventory.items.filter(isResolvedEndpoint).filter((i) => i.kind !== 'websocket')
  const matches = (spec: EndpointItem, code: EndpointItem) => {
    if (spec.method !== code.method && code.method !== 'ALL') return false
    const s = spec.key.slice(spec.key.indexOf(' ') + 1)
    const c = code.key.slice(code.key.indexOf(' ') + 1)
    // `s` starts with `/`, so a suffix match always falls on a segment boundary.
    return s === c || (s !== '/' && c.endsWith(s))
  }
  const documented = new Set<EndpointItem>()
  for (const spec of specItems) {
    const found = codeRoutes.filter((c) => matches(spec, c))
    found.forEach((c) => documented.add(c))
    if (!found.length) {
      inventory.diagnostics.push({
        level: 'warn',
        code: 'SPEC_ONLY',
        file: spec.source.file,
        line: spec.source.line,
        message: `${spec.method} ${spec.path} is documented but no code route serves it`,
      })
    }
  }
  for (const code of codeRoutes) {
    if (documented.has(code)) continue
    inventory.diagnostics.push({
      level: 'info',
      code: 'UNDOCUMENTED',
      file: code.source.file,
      line: code.source.line,
      message: `${code.method} ${code.path} is served but not documented in ${[...new Set(specItems.map((s) => s.source.file))].join(', ')}`,
    })
  }
}
