/**
 * Where a server starts listening, and on which port when the code states it literally or as a
 * default: `listen(process.env.PORT ?? 8016)`, `bind("0.0.0.0:8016")`, `r.Run(":8016")`,
 * `uvicorn.run(app, port=8016)`. Pure functions over one file's syntax tree.
 */
import type { SgNode } from '@ast-grep/napi'
import type { LanguageFamily } from '../languages/types.js'

/** A call that starts a server; `port` and `portLine` when its port is known. */
export interface ListenSite {
  line: number
  port?: number
  /** Line of the literal that gives the port (a constant may be declared above the call). */
  portLine?: number
  /** File of that literal, when it is imported from another file. */
  portFile?: string
}

interface Port {
  port: number
  line: number
  /** Set when the literal is in another file than the call. */
  file?: string
}

/** Identifiers followed through declarations at most this deep: `const PORT = Number(env.PORT ?? DEFAULT)`. */
const MAX_DEPTH = 6
const WRAPPERS = new Set([
  'parenthesized_expression',
  'as_expression',
  'satisfies_expression',
  'await_expression',
  'non_null_expression',
  'reference_expression',
  'try_expression',
  'type_cast_expression',
])

const lineOf = (n: SgNode) => n.range().start.line + 1

/** Servers started in a file, in source order. */
export function findListenSites(family: LanguageFamily, root: SgNode, imported?: Imported): ListenSite[] {
  return finders[family]({ root, ...(imported ? { imported } : {}) }).sort((a, b) => a.line - b.line)
}

/**
 * Where a name this file imports is declared: the syntax tree of the file that exports it and
 * its name there (`import { PORT } from './config'`). Followed one file deep.
 */
export type Imported = (name: string) => Array<{ file: string; root: SgNode; name: string }>

/** The file being read; `file` is set once the evaluation has followed an import into another file. */
interface Scope {
  root: SgNode
  imported?: Imported
  file?: string
}

/** A name's value: declared in this file, else in the file it is imported from. */
function resolveName(
  scope: Scope,
  name: string,
  declarations: (root: SgNode, name: string) => SgNode[],
  evaluate: (scope: Scope, value: SgNode) => Port | undefined,
): Port | undefined {
  const local = declarations(scope.root, name)
  if (local.length) return firstOf(local, (v) => evaluate(scope, v))
  for (const target of scope.imported?.(name) ?? []) {
    const there: Scope = { root: target.root, file: target.file }
    const port = firstOf(declarations(target.root, target.name), (v) => evaluate(there, v))
    if (port) return { ...port, file: port.file ?? target.file }
  }
  return undefined
}

const finders: Record<LanguageFamily, (scope: Scope) => ListenSite[]> = { js: jsSites, rust: rustSites, go: goSites, python: pythonSites }

function site(call: SgNode, port: Port | undefined): ListenSite {
  if (!port) return { line: lineOf(call) }
  return { line: lineOf(call), port: port.port, portLine: port.line, ...(port.file ? { portFile: port.file } : {}) }
}

/** A number from a literal's text: `8016`, `"8016"`, `"0.0.0.0:8016"`, `":8016"`, `8016u16`. */
export function portOfText(text: string, line: number): Port | undefined {
  const digits = /^(?:.*:)?(\d{1,5})(?:u16|u32|i32|usize)?$/.exec(text.trim())?.[1]
  if (!digits) return undefined
  const port = Number(digits)
  return port > 0 && port < 65536 ? { port, line } : undefined
}

function firstOf(nodes: Iterable<SgNode | null | undefined>, evaluate: (n: SgNode) => Port | undefined): Port | undefined {
  for (const n of nodes) {
    const p = n ? evaluate(n) : undefined
    if (p) return p
  }
  return undefined
}

const namedArgs = (call: SgNode) =>
  call
    .field('arguments')
    ?.namedChildren()
    .filter((n) => n.kind() !== 'comment') ?? []

// ---------------------------------------------------------------- TypeScript / JavaScript

const JS_SERVE = new Set(['serve', 'Bun.serve', 'Deno.serve'])

function jsSites(scope: Scope): ListenSite[] {
  const out: ListenSite[] = []
  for (const call of scope.root.findAll({ rule: { kind: 'call_expression' } })) {
    const fn = call.field('function')
    if (!fn) continue
    const isListen = fn.kind() === 'member_expression' && fn.field('property')?.text() === 'listen'
    if (!isListen && !JS_SERVE.has(fn.text())) continue
    const arg = namedArgs(call)[0]
    out.push(site(call, arg ? jsPort(scope, arg, 0) : undefined))
  }
  return out
}

function jsPort(scope: Scope, node: SgNode, depth: number): Port | undefined {
  if (depth > MAX_DEPTH) return undefined
  const kind = String(node.kind())
  const next = (n: SgNode | null | undefined) => (n ? jsPort(scope, n, depth + 1) : undefined)
  if (WRAPPERS.has(kind)) return next(node.namedChildren()[0])
  if (kind === 'number') return portOfText(node.text(), lineOf(node))
  if (kind === 'string') return portOfText(node.text().slice(1, -1), lineOf(node))
  if (kind === 'template_string') return node.find({ rule: { kind: 'template_substitution' } }) ? undefined : portOfText(node.text().slice(1, -1), lineOf(node))
  if (kind === 'binary_expression') {
    const op = node.field('operator')?.text()
    // `process.env.PORT ?? 8016`, `PORT || '8016'`: the default is on the right.
    if (op === '??' || op === '||') return next(node.field('right')) ?? next(node.field('left'))
    return undefined
  }
  if (kind === 'call_expression') {
    const fn = node.field('function')?.text()
    if (fn === 'Number' || fn === 'parseInt' || fn === 'Number.parseInt' || fn === 'String') return next(namedArgs(node)[0])
    return undefined
  }
  if (kind === 'object') return jsObjectPort(scope, node, 'port', depth)
  if (kind === 'identifier') return resolveName(scope, node.text(), jsDeclarations, (s, v) => jsPort(s, v, depth + 1))
  if (kind === 'member_expression') {
    // `config.port` with `const config = { port: 8016 }` in the same file.
    const object = node.field('object')
    const prop = node.field('property')?.text()
    if (object?.kind() !== 'identifier' || !prop) return undefined
    return resolveName(scope, object.text(), jsDeclarations, (s, v) => (v.kind() === 'object' ? jsObjectPort(s, v, prop, depth + 1) : undefined))
  }
  return undefined
}

function jsObjectPort(scope: Scope, object: SgNode, key: string, depth: number): Port | undefined {
  for (const member of object.namedChildren()) {
    if (
      member.kind() === 'pair' &&
      member
        .field('key')
        ?.text()
        .replace(/^['"]|['"]$/g, '') === key
    ) {
      const value = member.field('value')
      return value ? jsPort(scope, value, depth + 1) : undefined
    }
    if (member.kind() === 'shorthand_property_identifier' && member.text() === key) {
      return resolveName(scope, key, jsDeclarations, (s, v) => jsPort(s, v, depth + 1))
    }
  }
  return undefined
}

/** Values given to a name in this file: `const PORT = ...`, `port = ...`. */
function jsDeclarations(root: SgNode, name: string): SgNode[] {
  const values: SgNode[] = []
  for (const decl of root.findAll({ rule: { any: [{ kind: 'variable_declarator' }, { kind: 'assignment_expression' }] } })) {
    const target = decl.field(decl.kind() === 'variable_declarator' ? 'name' : 'left')
    const value = decl.field(decl.kind() === 'variable_declarator' ? 'value' : 'right')
    if (target?.kind() === 'identifier' && target.text() === name && value) values.push(value)
  }
  return values
}

// ---------------------------------------------------------------- Rust

/** Methods and functions that take the address a server binds: `TcpListener::bind`, `HttpServer::bind`, warp's `run`. */
const RUST_BINDS = new Set(['bind', 'bind_rustls', 'bind_rustls_0_23', 'bind_openssl', 'bind_auto_h2c', 'run'])
const RUST_ADDRS = new Set(['SocketAddr::from', 'SocketAddr::new', 'SocketAddrV4::new', 'SocketAddrV6::new'])

function rustSites(scope: Scope): ListenSite[] {
  const out: ListenSite[] = []
  for (const call of scope.root.findAll({ rule: { kind: 'call_expression' } })) {
    const fn = call.field('function')
    if (!fn) continue
    const name = fn.kind() === 'field_expression' ? fn.field('field')?.text() : fn.kind() === 'scoped_identifier' ? fn.field('name')?.text() : undefined
    const args = namedArgs(call)
    if (name && RUST_BINDS.has(name) && args.length) {
      const port = firstOf(args, (a) => rustPort(scope, a, 0))
      // warp's `.run(addr)` is a server only when it is given an address.
      if (name !== 'run' || port) out.push(site(call, port))
    }
  }
  return out
}

function rustPort(scope: Scope, node: SgNode, depth: number): Port | undefined {
  if (depth > MAX_DEPTH) return undefined
  const kind = String(node.kind())
  const next = (n: SgNode | null | undefined) => (n ? rustPort(scope, n, depth + 1) : undefined)
  if (WRAPPERS.has(kind)) return next(node.namedChildren().find((c) => c.kind() !== 'mutable_specifier'))
  if (kind === 'integer_literal') return portOfText(node.text(), lineOf(node))
  if (kind === 'string_literal' || kind === 'raw_string_literal') {
    const content = node.find({ rule: { kind: 'string_content' } })?.text() ?? ''
    const named = /\{(\w+)\}$/.exec(content)?.[1] // format!("0.0.0.0:{port}")
    return named ? resolveName(scope, named, rustDeclarations, (s, v) => rustPort(s, v, depth + 1)) : portOfText(content, lineOf(node))
  }
  if (kind === 'tuple_expression')
    return firstOf(node.namedChildren().reverse(), (c) => (c.kind() === 'array_expression' ? undefined : rustPort(scope, c, depth + 1)))
  if (kind === 'identifier') return resolveName(scope, node.text(), rustDeclarations, (s, v) => rustPort(s, v, depth + 1))
  if (kind === 'macro_invocation') {
    // format!("0.0.0.0:{}", port): the literal, else the values after it.
    const tree = node.find({ rule: { kind: 'token_tree' } })
    return firstOf(tree?.namedChildren() ?? [], (c) => rustPort(scope, c, depth + 1))
  }
  if (kind === 'call_expression') {
    const fn = node.field('function')
    const args = namedArgs(node)
    const text = fn?.text() ?? ''
    if (RUST_ADDRS.has(text) || text.endsWith('::SocketAddr::from')) return firstOf([...args].reverse(), (a) => rustPort(scope, a, depth + 1))
    const base = fn?.kind() === 'generic_function' ? fn.field('function') : fn
    if (base?.kind() === 'field_expression') {
      // `env::var("PORT").unwrap_or("8016".into())`, `"0.0.0.0:8016".parse()`, `.parse::<u16>().unwrap_or(8016)`.
      const method = base.field('field')?.text() ?? ''
      const fromArgs = method.startsWith('unwrap_or') ? firstOf(args, (a) => rustPort(scope, a, depth + 1)) : undefined
      return fromArgs ?? next(base.field('value'))
    }
    return undefined
  }
  if (kind === 'closure_expression') return next(node.field('body'))
  if (kind === 'block') return next(node.namedChildren().at(-1))
  if (kind === 'field_expression' && node.field('field')?.text() === 'into') return next(node.field('value'))
  return undefined
}

function rustDeclarations(root: SgNode, name: string): SgNode[] {
  const values: SgNode[] = []
  for (const decl of root.findAll({ rule: { any: [{ kind: 'let_declaration' }, { kind: 'const_item' }, { kind: 'static_item' }] } })) {
    const target = decl.field(decl.kind() === 'let_declaration' ? 'pattern' : 'name')
    const value = decl.field('value')
    if (target?.text() === name && value) values.push(value)
  }
  return values
}

// ---------------------------------------------------------------- Go

/** `http.ListenAndServe(":8016", h)`, gin's `Run`, echo's `Start`, fiber's `Listen`, `net.Listen("tcp", ":8016")`. */
const GO_LISTENS = new Set(['ListenAndServe', 'ListenAndServeTLS', 'Run', 'RunTLS', 'Start', 'StartTLS', 'Listen', 'ListenTLS'])

function goSites(scope: Scope): ListenSite[] {
  const out: ListenSite[] = []
  for (const call of scope.root.findAll({ rule: { kind: 'call_expression' } })) {
    const fn = call.field('function')
    if (fn?.kind() !== 'selector_expression' || !GO_LISTENS.has(fn.field('field')?.text() ?? '')) continue
    const args = namedArgs(call)
    // `srv.ListenAndServe()` on `&http.Server{Addr: ":8016"}`: the address is in the struct.
    const port = args.length ? firstOf(args, (a) => goPort(scope, a, 0)) : goStructAddr(scope)
    out.push(site(call, port))
  }
  return out
}

function goStructAddr(scope: Scope): Port | undefined {
  for (const el of scope.root.findAll({ rule: { kind: 'keyed_element' } })) {
    const [key, value] = el.namedChildren()
    if (key?.text() === 'Addr' && value) {
      const port = goPort(scope, value, 0)
      if (port) return port
    }
  }
  return undefined
}

function goPort(scope: Scope, node: SgNode, depth: number): Port | undefined {
  if (depth > MAX_DEPTH) return undefined
  const kind = String(node.kind())
  const next = (n: SgNode | null | undefined) => (n ? goPort(scope, n, depth + 1) : undefined)
  if (kind === 'literal_element' || kind === 'parenthesized_expression') return next(node.namedChildren()[0])
  if (kind === 'int_literal') return portOfText(node.text(), lineOf(node))
  if (kind === 'interpreted_string_literal' || kind === 'raw_string_literal') return portOfText(node.text().slice(1, -1), lineOf(node))
  if (kind === 'binary_expression') return next(node.field('right')) ?? next(node.field('left'))
  // fmt.Sprintf(":%s", port), net.JoinHostPort("", port), getEnv("PORT", "8016"), strconv.Itoa(8016).
  if (kind === 'call_expression') return firstOf(namedArgs(node), (a) => goPort(scope, a, depth + 1))
  if (kind === 'identifier') return resolveName(scope, node.text(), goDeclarations, (s, v) => goPort(s, v, depth + 1))
  return undefined
}

/** Values given to a name: `addr := ":8016"`, `var port = "8016"`, `port = "8016"` after an empty `os.Getenv`. */
function goDeclarations(root: SgNode, name: string): SgNode[] {
  const values: SgNode[] = []
  const rule = { any: [{ kind: 'short_var_declaration' }, { kind: 'assignment_statement' }, { kind: 'var_spec' }, { kind: 'const_spec' }] }
  for (const decl of root.findAll({ rule })) {
    const spec = decl.kind() === 'var_spec' || decl.kind() === 'const_spec'
    const names = spec ? decl.children().filter((c) => c.kind() === 'identifier') : (decl.field('left')?.namedChildren() ?? [])
    const right = spec ? decl.field('value')?.namedChildren() : decl.field('right')?.namedChildren()
    const i = names.findIndex((n) => n.text() === name)
    const value = i === -1 ? undefined : right?.[i]
    if (value) values.push(value)
  }
  return values
}

// ---------------------------------------------------------------- Python

/** `uvicorn.run(app, port=8016)`, `app.run(port=8016)`, aiohttp's `web.run_app(app, port=8016)`, `serve(app, port=8016)` (waitress). */
const PY_RUNS = new Set(['run', 'run_app', 'serve'])

function pythonSites(scope: Scope): ListenSite[] {
  const out: ListenSite[] = []
  for (const call of scope.root.findAll({ rule: { kind: 'call' } })) {
    const fn = call.field('function')
    const name = fn?.kind() === 'attribute' ? fn.field('attribute')?.text() : fn?.kind() === 'identifier' ? fn.text() : undefined
    if (!name || !PY_RUNS.has(name)) continue
    const keyword = namedArgs(call).find((a) => a.kind() === 'keyword_argument' && a.field('name')?.text() === 'port')
    const value = keyword?.field('value')
    // Without a port, `run()` may be anything (`asyncio.run(main())`).
    if (value) out.push(site(call, pyPort(scope, value, 0)))
  }
  return out
}

function pyPort(scope: Scope, node: SgNode, depth: number): Port | undefined {
  if (depth > MAX_DEPTH) return undefined
  const kind = String(node.kind())
  const next = (n: SgNode | null | undefined) => (n ? pyPort(scope, n, depth + 1) : undefined)
  if (kind === 'parenthesized_expression') return next(node.namedChildren()[0])
  if (kind === 'integer') return portOfText(node.text(), lineOf(node))
  if (kind === 'string')
    return node.find({ rule: { kind: 'interpolation' } }) ? undefined : portOfText(node.find({ rule: { kind: 'string_content' } })?.text() ?? '', lineOf(node))
  // int(os.getenv("PORT", "8016")), os.environ.get("PORT", 8016): the default is an argument.
  if (kind === 'call') return firstOf(namedArgs(node), (a) => pyPort(scope, a, depth + 1))
  if (kind === 'boolean_operator') return next(node.field('right')) ?? next(node.field('left'))
  if (kind === 'identifier') return resolveName(scope, node.text(), pyDeclarations, (s, v) => pyPort(s, v, depth + 1))
  return undefined
}

function pyDeclarations(root: SgNode, name: string): SgNode[] {
  const values: SgNode[] = []
  for (const assign of root.findAll({ rule: { kind: 'assignment' } })) {
    const right = assign.field('right')
    if (assign.field('left')?.text() === name && right) values.push(right)
  }
  return values
}
