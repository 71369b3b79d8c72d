/** Syntax helpers shared by the Python extractors (FastAPI, Flask, Django, DRF). */
import type { SgNode } from '@ast-grep/napi'
import { pyStringLiteral } from '../languages/python.js'
import type { FileFacts, ModuleInfo, SymbolRef } from './types.js'

export interface CallArgs {
  positional: SgNode[]
  keywords: Map<string, SgNode>
}

/** Positional and keyword arguments of a call, without comments and splats. */
export function callArgs(call: SgNode): CallArgs {
  const positional: SgNode[] = []
  const keywords = new Map<string, SgNode>()
  for (const arg of call.field('arguments')?.namedChildren() ?? []) {
    const k = arg.kind()
    if (k === 'keyword_argument') {
      const name = arg.field('name')?.text()
      const value = arg.field('value')
      if (name && value) keywords.set(name, value)
    } else if (k !== 'comment' && k !== 'list_splat' && k !== 'dictionary_splat') positional.push(arg)
  }
  return { positional, keywords }
}

/** An argument given by position or by keyword (`path=`). */
export function argument(args: CallArgs, index: number, keyword: string): SgNode | undefined {
  return args.keywords.get(keyword) ?? args.positional[index]
}

/** The last name of what a call calls: `APIRouter` for `APIRouter()` and `fastapi.APIRouter()`. */
export function calleeName(call: SgNode): string | undefined {
  const fn = call.field('function')
  if (!fn) return undefined
  if (fn.kind() === 'identifier') return fn.text()
  if (fn.kind() === 'attribute') return fn.field('attribute')?.text()
  return undefined
}

/** `obj.method(...)`: the object and the method name; undefined for any other call. */
export function methodCall(call: SgNode): { object: SgNode; method: string } | undefined {
  const fn = call.field('function')
  if (fn?.kind() !== 'attribute') return undefined
  const object = fn.field('object')
  const method = fn.field('attribute')?.text()
  return object && method ? { object, method } : undefined
}

/** `app`, `api.router`: a plain or dotted name; undefined for calls, subscripts and the rest. */
export function dottedName(node: SgNode): string | undefined {
  const k = node.kind()
  if (k === 'identifier') return node.text()
  if (k !== 'attribute') return undefined
  const obj = node.field('object')
  const attr = node.field('attribute')
  const head = obj ? dottedName(obj) : undefined
  return head && attr ? `${head}.${attr.text()}` : undefined
}

/** A router or view named by an argument: `users.router`, `router`. */
export function symbolOf(node: SgNode): SymbolRef | undefined {
  const name = dottedName(node)
  return name ? { name } : undefined
}

/** The strings of a list or tuple of string literals (`["GET", "POST"]`); undefined if any is not one. */
export function stringList(node: SgNode): string[] | undefined {
  const k = node.kind()
  if (k !== 'list' && k !== 'tuple' && k !== 'set') return undefined
  const out: string[] = []
  for (const item of node.namedChildren()) {
    if (item.kind() === 'comment') continue
    const s = pyStringLiteral(item)
    if (s === undefined) return undefined
    out.push(s)
  }
  return out
}

/** Every decorator call of a function or class (`@app.get("/x")`), with the definition it decorates. */
export function decoratorCalls(root: SgNode): Array<{ call: SgNode; definition: SgNode }> {
  const out: Array<{ call: SgNode; definition: SgNode }> = []
  for (const decorated of root.findAll({ rule: { kind: 'decorated_definition' } })) {
    const definition = decorated.field('definition')
    if (!definition) continue
    for (const dec of decorated.children()) {
      if (dec.kind() !== 'decorator') continue
      const call = dec.namedChildren()[0]
      if (call?.kind() === 'call') out.push({ call, definition })
    }
  }
  return out
}

/** `x = Call(...)` anywhere in the file, for calls whose last name is in `names`: the variable and the call. */
export function assignedCalls(root: SgNode, names: ReadonlySet<string>): Array<{ name: string; call: SgNode }> {
  const out: Array<{ name: string; call: SgNode }> = []
  for (const assign of root.findAll({ rule: { kind: 'assignment', has: { field: 'right', kind: 'call' } } })) {
    const left = assign.field('left')
    const call = assign.field('right')!
    const callee = calleeName(call)
    if (left && callee && names.has(callee)) {
      const name = dottedName(left)
      if (name) out.push({ name, call })
    }
  }
  return out
}

/** Every `obj.method(...)` call whose method is in `methods`. */
export function methodCalls(root: SgNode, methods: readonly string[]): Array<{ call: SgNode; object: SgNode; method: string }> {
  const out: Array<{ call: SgNode; object: SgNode; method: string }> = []
  for (const call of root.findAll({
    rule: { kind: 'call', has: { field: 'function', kind: 'attribute', has: { field: 'attribute', regex: `^(${methods.join('|')})$` } } },
  })) {
    const m = methodCall(call)
    if (m) out.push({ call, ...m })
  }
  return out
}

/** The methods a class body defines (`def get(self)`), by name, with their definitions. */
export function classMethods(cls: SgNode): Map<string, SgNode> {
  const out = new Map<string, SgNode>()
  for (const stmt of cls.field('body')?.children() ?? []) {
    const def = stmt.kind() === 'decorated_definition' ? stmt.field('definition') : stmt
    if (def?.kind() !== 'function_definition') continue
    const name = def.field('name')?.text()
    if (name) out.set(name, stmt)
  }
  return out
}

/** The names of a class's bases (`viewsets.ModelViewSet` -> `ModelViewSet`), keyword arguments excluded. */
export function baseNames(cls: SgNode): string[] {
  const out: string[] = []
  for (const written of cls.field('superclasses')?.namedChildren() ?? []) {
    // `GenericViewSet[Document]`: a generic base is its class.
    const base = written.kind() === 'subscript' ? (written.field('value') ?? written) : written
    const name = dottedName(base)
    if (name) out.push(name.slice(name.lastIndexOf('.') + 1))
  }
  return out
}

/** `roots` grown with every class of `classes` that derives from one of them, directly or through another (`class App(Starlette)`). */
export function addSubclasses(classes: ReadonlyMap<string, SgNode>, roots: Set<string>): void {
  for (let grew = true; grew; ) {
    grew = false
    for (const [name, cls] of classes) {
      if (!roots.has(name) && baseNames(cls).some((b) => roots.has(b))) grew = !!roots.add(name)
    }
  }
}

/** True when the file imports the package or one of its modules (`aiohttp`, `aiohttp.web`). */
export function importsPackage(module: ModuleInfo, pkg: string): boolean {
  return Object.values(module.imports).some((i) => i.module === pkg || i.module.startsWith(`${pkg}.`))
}

/** Class-based views: each class's HTTP-verb methods (`get`, `post`...) and bases, for `FileFacts.views`. */
export function classViews(classes: ReadonlyMap<string, SgNode>, verbs: readonly string[]): NonNullable<FileFacts['views']> {
  const out: NonNullable<FileFacts['views']> = {}
  for (const [name, cls] of classes) {
    const methods = [...classMethods(cls).keys()].filter((m) => verbs.includes(m)).map((m) => m.toUpperCase())
    const bases = (cls.field('superclasses')?.namedChildren() ?? [])
      .map((b) => dottedName(b.kind() === 'subscript' ? (b.field('value') ?? b) : b))
      .filter((b): b is string => !!b)
    if (methods.length || bases.length) out[name] = { methods, bases }
  }
  return out
}

/** Classes defined at the top level of the file, by name. */
export function topLevelClasses(root: SgNode): Map<string, SgNode> {
  const out = new Map<string, SgNode>()
  for (const stmt of root.children()) {
    const cls = stmt.kind() === 'decorated_definition' ? stmt.field('definition') : stmt
    if (cls?.kind() !== 'class_definition') continue
    const name = cls.field('name')?.text()
    if (name) out.set(name, cls)
  }
  return out
}

/** 1-based line of a node. */
export function lineOf(node: SgNode): number {
  return node.range().start.line + 1
}
