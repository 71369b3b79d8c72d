/**
 * NestJS controllers and gateways: https://docs.nestjs.com/controllers#routing
 * `@Controller(path | [paths] | { path, version })` classes with `@Get/@Post/.../@All/@Sse` methods,
 * `app.setGlobalPrefix()` and URI versioning (`app.enableVersioning()`, `@Version()`) from main.ts
 * as settings read by every route, and `@WebSocketGateway()` classes, one websocket item each.
 */
import type { SgNode } from '@ast-grep/napi'
import { argsOf } from '../js-syntax.js'
import { defineExtractor, type ExtractContext, type FileFacts, type ParsedFile, type PathExpr, type PathPart } from '../types.js'
import { literalText, optionOf } from '../js-options.js'
import { joinSegments } from './path.js'

/** Method decorators of @nestjs/common and the method each serves. */
const METHOD_DECORATORS: Record<string, string> = {
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Delete: 'DELETE',
  Patch: 'PATCH',
  Options: 'OPTIONS',
  Head: 'HEAD',
  All: 'ALL',
  Search: 'SEARCH',
  Sse: 'GET',
}

/** Setting keys, read by `{ setting }` parts of every Nest route of the scan. */
const PREFIX = 'nest.prefix'
const VERSION = 'nest.version'
const DEFAULT_VERSION = 'nest.defaultVersion'
/** `nest.config:app.apiPrefix`: a `registerAs('app', ...)` value with a default in code, slashes trimmed. */
const CONFIG = 'nest.config:'

/** The engine path socket.io serves by default; a gateway's item is this path plus its namespace. */
const SOCKET_IO_PATH = '/socket.io'

type Version = { neutral: true } | { value: string } | { unknown: string }

export const extractor = defineExtractor({
  id: 'nestjs',
  family: 'js',
  docs: 'https://docs.nestjs.com/controllers#routing',
  detect: (m) => m.dependencies.has('@nestjs/core') || m.dependencies.has('@nestjs/common'),
  needles: ['@Controller', '@WebSocketGateway', 'setGlobalPrefix', 'enableVersioning', 'RouterModule', 'registerAs'],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], settings: {} }
    readSettings(file, ctx, facts)
    readConfigNamespaces(file, ctx, facts)
    for (const cls of file.root.findAll({ rule: { any: [{ kind: 'class_declaration' }, { kind: 'abstract_class_declaration' }] } })) {
      const className = cls.field('name')?.text() ?? 'anonymous'
      for (const dec of classDecorators(cls)) {
        const name = decoratorName(file, dec)
        if (name === 'Controller') controllerRoutes(file, ctx, facts, cls, dec)
        else if (name === 'WebSocketGateway') {
          facts.routes.push({ kind: 'websocket', methods: ['WS'], path: gatewayPath(ctx, dec), owner: null, handler: className, line: ctx.lineOf(dec) })
        }
      }
    }
    return facts
  },
})

function controllerRoutes(file: ParsedFile, ctx: ExtractContext, facts: FileFacts, cls: SgNode, dec: SgNode): void {
  const arg = decoratorArgs(dec)[0]
  let ctrlPaths: PathExpr[] = [[]]
  let ctrlVersions: Version[] | undefined
  if (arg?.kind() === 'object') {
    const path = optionOf(arg, 'path')
    if (path) ctrlPaths = pathsOf(ctx, path)
    const version = optionOf(arg, 'version')
    if (version) ctrlVersions = versionsOf(version)
  } else if (arg) ctrlPaths = pathsOf(ctx, arg)

  // Decorators in a class body come before the member they decorate.
  let pending: SgNode[] = []
  for (const member of cls.field('body')?.children() ?? []) {
    if (member.kind() === 'decorator') {
      pending.push(member)
      continue
    }
    if (member.kind() !== 'method_definition') {
      if (member.isNamed()) pending = []
      continue
    }
    const decorators = pending
    pending = []
    const handler = member.field('name')?.text()
    // Each decorator overwrites the method's metadata, bottom-up: the topmost one wins.
    const versionDec = decorators.find((d) => decoratorName(file, d) === 'Version')
    const methodVersions = versionDec && versionsOf(decoratorArgs(versionDec)[0])
    const d = decorators.find((x) => METHOD_DECORATORS[decoratorName(file, x) ?? ''])
    if (d) {
      const name = decoratorName(file, d)!
      const method = METHOD_DECORATORS[name]!
      const pathArg = decoratorArgs(d)[0]
      const methodPaths = pathArg ? pathsOf(ctx, pathArg) : [[]]
      // A method's own version replaces its controller's; with neither, the app's default applies.
      const versions: Array<PathPart | undefined> = (methodVersions ?? ctrlVersions)?.map(versionPart) ?? [{ setting: DEFAULT_VERSION }]
      for (const version of versions) {
        for (const ctrl of ctrlPaths) {
          for (const own of methodPaths) {
            const joined = joinSegments([ctrl, own])
            // A literal path carries itself, for the global prefix's `exclude` list.
            const prefix: PathPart = joined.every((p) => typeof p === 'string') ? { setting: PREFIX, value: joined.join('') || '/' } : { setting: PREFIX }
            facts.routes.push({
              kind: name === 'Sse' ? 'sse' : 'route',
              methods: [method],
              path: [prefix, ...(version ? [version] : []), ...joined],
              owner: null,
              ...(handler ? { handler } : {}),
              line: ctx.lineOf(d),
            })
          }
        }
      }
    }
  }
}

/** `app.setGlobalPrefix('api')` and `app.enableVersioning({ type: VersioningType.URI, prefix, defaultVersion })`. */
function readSettings(file: ParsedFile, ctx: ExtractContext, facts: FileFacts): void {
  const calls = file.root.findAll({
    rule: {
      kind: 'call_expression',
      has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: '^(setGlobalPrefix|enableVersioning|register)$' } },
    },
  })
  for (const call of calls) {
    const callee = call.field('function')!
    const verb = callee.field('property')!.text()
    const args = argsOf(call)
    const line = ctx.lineOf(call)
    if (verb === 'register') {
      if (callee.field('object')?.text() === 'RouterModule') {
        ctx.diagnose({
          code: 'UNSUPPORTED_FORM',
          line,
          message: 'RouterModule.register() prefixes are not applied: the routes of these modules are listed without them',
        })
      }
      continue
    }
    if (verb === 'setGlobalPrefix') {
      const arg = args[0]
      if (!arg) continue
      const config = configKey(arg, call)
      const text = config ? undefined : stringValue(ctx, file, arg, call)
      if (config) facts.settings![PREFIX] = `/\${${CONFIG}${config}}`
      else if (text !== undefined) facts.settings![PREFIX] = trimSlashes(text) ? `/${trimSlashes(text)}` : ''
      else {
        ctx.diagnose({
          code: 'UNRESOLVED_PATH',
          line,
          message: `the global prefix \`${arg.text()}\` is neither a literal nor a constant of this file; Nest routes are listed without it`,
          known: '{?}',
        })
        continue
      }
      readExcludes(ctx, file, call, optionOf(args[1], 'exclude'), facts)
      continue
    }
    const options = args[0]
    if (options?.kind() !== 'object') continue
    // Only URI versioning puts the version in the path; header and media-type versioning do not.
    if (!/(^|\.)URI$|^['"]uri['"]$/.test(optionOf(options, 'type')?.text() ?? '')) continue
    const prefixNode = optionOf(options, 'prefix')
    const prefix = !prefixNode ? 'v' : prefixNode.kind() === 'false' ? '' : literalText(ctx.pathOf(prefixNode), file.module)
    if (prefix === undefined) {
      ctx.diagnose({
        code: 'UNRESOLVED_PATH',
        line,
        message: `the version prefix \`${prefixNode!.text()}\` is neither a literal nor a constant of this file; Nest routes are listed without versions`,
        known: '{?}',
      })
      continue
    }
    facts.settings![VERSION] = `/${prefix}{}`
    const fallback = optionOf(options, 'defaultVersion')
    if (!fallback) continue
    const versions = versionsOf(fallback)
    if (versions.length !== 1) {
      ctx.diagnose({ code: 'UNSUPPORTED_FORM', line, message: 'a list of default versions is not applied: unversioned routes are listed under the first only' })
    }
    const first = versions[0]
    if (first && 'value' in first) facts.settings![DEFAULT_VERSION] = `/${prefix}${first.value}`
  }
}

/**
 * `setGlobalPrefix('api', { exclude: ['sitemap.xml', { path: 'health', method: RequestMethod.ALL }] })`:
 * each literal path is served without the prefix (the setting `nest.prefix=/sitemap.xml` is empty).
 * Patterns and method-bound entries are reported, and their routes keep the prefix.
 */
function readExcludes(ctx: ExtractContext, file: ParsedFile, call: SgNode, list: SgNode | undefined, facts: FileFacts): void {
  if (!list) return
  const skipped: string[] = []
  for (const entry of list.kind() === 'array' ? list.namedChildren() : [list]) {
    const method = entry.kind() === 'object' ? optionOf(entry, 'method') : undefined
    const node = entry.kind() === 'object' ? optionOf(entry, 'path') : entry
    const text = node && (!method || /\.ALL$/.test(method.text())) ? stringValue(ctx, file, node, call) : undefined
    if (text === undefined || /[:*{}()]/.test(text)) skipped.push(entry.text())
    else facts.settings![`${PREFIX}=/${trimSlashes(text)}`] = ''
  }
  if (skipped.length) {
    ctx.diagnose({
      code: 'UNSUPPORTED_FORM',
      line: ctx.lineOf(call),
      message: `setGlobalPrefix \`exclude\` entries ${skipped.join(', ')} are patterns or computed: their routes are listed under the prefix`,
    })
  }
}

/**
 * A string an expression holds in code: a literal or constant, a local `const` of the enclosing
 * function, or the default of `process.env.X || 'api'` (configuration with a default in code).
 */
function stringValue(ctx: ExtractContext, file: ParsedFile, node: SgNode, at: SgNode, depth = 0): string | undefined {
  if (depth > 8) return undefined
  const k = node.kind()
  if (k === 'binary_expression') {
    const op = node.field('operator')?.text() ?? node.children()[1]?.text()
    const left = node.field('left')
    const right = node.field('right')
    if ((op === '||' || op === '??') && left && right && /^process\.env\b/.test(left.text())) return stringValue(ctx, file, right, at, depth + 1)
  }
  const text = literalText(ctx.pathOf(node), file.module)
  if (text !== undefined || k !== 'identifier') return text
  const local = localConst(at, node.text())
  return local ? stringValue(ctx, file, local, at, depth + 1) : undefined
}

/** The value of `const name = ...` declared in a function enclosing `at`. */
function localConst(at: SgNode, name: string): SgNode | undefined {
  for (let cur = at.parent(); cur; cur = cur.parent()) {
    const body = cur.field('body')
    if (!body || !/function|arrow_function|method_definition/.test(String(cur.kind()))) continue
    for (const stmt of body.children()) {
      if (stmt.kind() !== 'lexical_declaration' || !stmt.text().startsWith('const')) continue
      for (const decl of stmt.namedChildren()) if (decl.field('name')?.text() === name) return decl.field('value') ?? undefined
    }
  }
  return undefined
}

/** `configService.get('app.apiPrefix')` or `getOrThrow(...)` with no default argument: the @nestjs/config key it reads. */
function configKey(node: SgNode, at: SgNode): string | undefined {
  let expr = node
  if (expr.kind() === 'identifier') expr = localConst(at, expr.text()) ?? expr
  if (expr.kind() !== 'call_expression') return undefined
  const fn = expr.field('function')
  const method = fn?.kind() === 'member_expression' ? fn.field('property')?.text() : undefined
  const [key, fallback] = argsOf(expr)
  if ((method !== 'get' && method !== 'getOrThrow') || key?.kind() !== 'string' || fallback?.kind() === 'string') return undefined
  return /config/i.test(fn!.field('object')?.text() ?? '') ? key.text().slice(1, -1) : undefined
}

/**
 * `registerAs('app', () => ({ apiPrefix: process.env.API_PREFIX || 'api' }))` (@nestjs/config): each
 * value known in code is a setting `nest.config:app.apiPrefix`, read where the global prefix names it.
 * https://docs.nestjs.com/techniques/configuration#configuration-namespaces
 */
function readConfigNamespaces(file: ParsedFile, ctx: ExtractContext, facts: FileFacts): void {
  if (!file.source.includes('registerAs')) return
  for (const call of file.root.findAll({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'identifier', regex: '^registerAs$' } } })) {
    const [ns, factory] = argsOf(call)
    if (ns?.kind() !== 'string' || !factory) continue
    const body = factory.field('body')
    const object =
      body?.kind() === 'parenthesized_expression'
        ? body.namedChildren()[0]
        : body?.kind() === 'statement_block'
          ? body
              .children()
              .filter((c) => c.kind() === 'return_statement')
              .at(-1)
              ?.namedChildren()[0]
          : body
    if (object?.kind() !== 'object') continue
    for (const pair of object.namedChildren()) {
      const key = pair.kind() === 'pair' ? pair.field('key') : undefined
      const value = pair.field('value')
      if (!key || !value || key.kind() !== 'property_identifier') continue
      const text = stringValue(ctx, file, value, value)
      if (text !== undefined) facts.settings![`${CONFIG}${ns.text().slice(1, -1)}.${key.text()}`] = trimSlashes(text)
    }
  }
}

/** `@WebSocketGateway(port?, { path?, namespace? })`: the socket.io engine path plus the namespace, or the ws adapter's path. */
function gatewayPath(ctx: ExtractContext, dec: SgNode): PathExpr {
  const options = decoratorArgs(dec).find((a) => a.kind() === 'object')
  const path = options && optionOf(options, 'path')
  const namespace = options && optionOf(options, 'namespace')
  if (!namespace) return path ? ctx.pathOf(path) : [SOCKET_IO_PATH]
  const ns = namespace.kind() === 'regex' ? [{ unknown: namespace.text() }] : ctx.pathOf(namespace)
  return joinSegments([path ? ctx.pathOf(path) : [SOCKET_IO_PATH], ns])
}

function pathsOf(ctx: ExtractContext, node: SgNode): PathExpr[] {
  return node.kind() === 'array' ? node.namedChildren().map((n) => ctx.pathOf(n)) : [ctx.pathOf(node)]
}

function versionsOf(node: SgNode | undefined): Version[] {
  if (!node) return []
  if (node.kind() === 'array') return node.namedChildren().flatMap(versionsOf)
  if (node.kind() === 'string') return [{ value: node.text().slice(1, -1) }]
  if (/(^|\.)VERSION_NEUTRAL$/.test(node.text())) return [{ neutral: true }]
  return [{ unknown: node.text() }]
}

function versionPart(v: Version): PathPart | undefined {
  if ('neutral' in v) return undefined
  if ('value' in v) return { setting: VERSION, value: v.value }
  return { unknown: v.unknown }
}

/** A class's decorators, written before `export` or after it. */
function classDecorators(cls: SgNode): SgNode[] {
  const own = cls.children().filter((c) => c.kind() === 'decorator')
  const parent = cls.parent()
  const outer = parent?.kind() === 'export_statement' ? parent.children().filter((c) => c.kind() === 'decorator') : []
  return [...outer, ...own]
}

/** `Get` for `@Get(':id')`; undefined when the name is imported from a package other than @nestjs/*. */
function decoratorName(file: ParsedFile, dec: SgNode): string | undefined {
  const expr = dec.namedChildren()[0]
  const fn = expr?.kind() === 'call_expression' ? expr.field('function') : expr
  if (fn?.kind() !== 'identifier') return undefined
  const name = fn.text()
  const imp = file.module.imports[name]
  if (imp && !imp.module.startsWith('@nestjs/')) return undefined
  return imp && imp.name !== '*' && imp.name !== 'default' ? imp.name : name
}

function decoratorArgs(dec: SgNode): SgNode[] {
  const expr = dec.namedChildren()[0]
  return expr?.kind() === 'call_expression' ? argsOf(expr) : []
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '')
}
