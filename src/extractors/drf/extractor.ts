/**
 * Django REST framework routers and viewsets: https://www.django-rest-framework.org/api-guide/routers/
 * and https://www.django-rest-framework.org/api-guide/viewsets/
 * `DefaultRouter()` / `SimpleRouter()` (the default router's API root view included),
 * `router.register(r"articles", ArticleViewSet)`. A viewset's routes are read where the class is
 * written: list/create on `prefix/`, retrieve/update/partial_update/destroy on `prefix/{pk}/`, only
 * for the actions it has (ModelViewSet, ReadOnlyModelViewSet, the mixins, methods it defines, bases
 * in the same file), and `@action(detail=..., methods=[...], url_path=...)` with `.mapping`.
 * Routers are mounted by Django's `include(router.urls)` (see the django extractor).
 */
import type { SgNode } from '@ast-grep/napi'
import { pyStringLiteral } from '../../languages/python.js'
import {
  assignedCalls,
  baseNames,
  callArgs,
  calleeName,
  classMethods,
  dottedName,
  lineOf,
  methodCalls,
  stringList,
  symbolOf,
  topLevelClasses,
} from '../py-syntax.js'
import { defineExtractor, type FileFacts, type PathExpr, type PathPart } from '../types.js'

const ROUTERS = new Set(['DefaultRouter', 'SimpleRouter'])
/** The trailing slash of the routers of the project (`trailing_slash=False` drops it). */
const SLASH: PathPart = { setting: 'drf.trailing_slash', value: '/' }

const ACTION_METHODS: Record<string, string> = {
  list: 'GET',
  create: 'POST',
  retrieve: 'GET',
  update: 'PUT',
  partial_update: 'PATCH',
  destroy: 'DELETE',
}
const LIST_ACTIONS = new Set(['list', 'create'])

/** What DRF's viewsets and mixins provide. */
const PROVIDED: Record<string, string[]> = {
  ModelViewSet: ['list', 'create', 'retrieve', 'update', 'partial_update', 'destroy'],
  ReadOnlyModelViewSet: ['list', 'retrieve'],
  GenericViewSet: [],
  ViewSet: [],
  ViewSetMixin: [],
  ListModelMixin: ['list'],
  CreateModelMixin: ['create'],
  RetrieveModelMixin: ['retrieve'],
  UpdateModelMixin: ['update', 'partial_update'],
  DestroyModelMixin: ['destroy'],
}

export const extractor = defineExtractor({
  id: 'drf',
  family: 'python',
  docs: 'https://www.django-rest-framework.org/api-guide/routers/',
  detect: (m) => m.dependencies.has('djangorestframework'),
  needles: ['ViewSet', 'Router(', '.register(', 'Mixin'],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [], settings: {} }
    const root = file.root

    const classes = topLevelClasses(root)
    // A router class of this file extending DRF's (`class LibraryRouter(DefaultRouter)`) routes as its base does.
    const routerClasses = new Map<string, string>([...ROUTERS].map((r) => [r, r]))
    for (let grew = true; grew; ) {
      grew = false
      for (const [name, cls] of classes) {
        const base = baseNames(cls).find((b) => routerClasses.has(b))
        if (base && !routerClasses.has(name)) {
          routerClasses.set(name, routerClasses.get(base)!)
          grew = true
        }
      }
    }
    const slashOf = new Map<string, string>()
    for (const { name, call } of assignedCalls(root, new Set(routerClasses.keys()))) {
      const args = callArgs(call)
      const trailing = args.keywords.get('trailing_slash')
      const slash = trailing?.text() === 'False' ? '' : '/'
      slashOf.set(name, slash)
      facts.settings!['drf.trailing_slash'] = slash ? '{}' : ''
      facts.routers!.push({ name, line: lineOf(call) })
      if (routerClasses.get(calleeName(call) ?? '') === 'DefaultRouter') {
        facts.routes.push({ methods: ['GET'], path: [], owner: name, line: lineOf(call), handler: 'api-root' })
      }
    }

    for (const { call, object } of methodCalls(root, ['register'])) {
      const owner = dottedName(object)
      const args = callArgs(call)
      const prefix = args.keywords.get('prefix') ?? args.positional[0]
      const viewset = args.keywords.get('viewset') ?? args.positional[1]
      const child = viewset && symbolOf(viewset)
      if (!owner || !prefix || !child) continue
      facts.mounts.push({ parent: owner, child, prefix: [...ctx.pathOf(prefix), slashOf.get(owner) ?? '/'], line: lineOf(call) })
    }

    for (const [name, cls] of classes) {
      const actions = viewsetActions(cls, classes, new Set())
      if (!actions) continue
      if (actions.unknownBase) {
        ctx.diagnose({
          level: 'info',
          code: 'PARTIAL_VIEWSET',
          line: lineOf(cls),
          message: `${name} extends ${actions.unknownBase}, defined elsewhere: its actions are read where parity finds it`,
        })
      }
      facts.routers!.push({ name, line: lineOf(cls) })
      // A viewset extending another serves that one's routes too, its `@action`s included.
      for (const base of actions.bases) facts.mounts.push({ parent: name, child: { name: base }, prefix: [], line: lineOf(cls) })
      const lookup = lookupOf(cls)
      const methods = classMethods(cls)
      for (const action of Object.keys(ACTION_METHODS)) {
        if (!actions.names.has(action) || actions.inherited.has(action)) continue
        const def = methods.get(action)
        const path: PathExpr = LIST_ACTIONS.has(action) ? [] : [lookup, SLASH]
        facts.routes.push({ methods: [ACTION_METHODS[action]!], path, owner: name, line: lineOf(def ?? cls), handler: `${name}.${action}` })
      }
      extraActions(cls, name, lookup, facts)
    }
    return facts
  },
})

interface Actions {
  names: Set<string>
  /** Viewset classes it extends (in this file or imported), whose routes it serves. */
  bases: string[]
  /** The standard actions those bases in this file already serve. */
  inherited: Set<string>
  unknownBase?: string
}

/** The standard actions of a viewset class, or undefined when the class is no viewset. */
function viewsetActions(cls: SgNode, classes: Map<string, SgNode>, seen: Set<string>): Actions | undefined {
  const names = new Set<string>()
  const bases: string[] = []
  const inherited = new Set<string>()
  let viewset = false
  let unknownBase: string | undefined
  for (const [base, written] of baseNames(cls).map((b, i) => [b, writtenBases(cls)[i]] as const)) {
    const provided = PROVIDED[base]
    const local = classes.get(base)
    if (provided) {
      viewset = true
      for (const a of provided) names.add(a)
    } else if (local && !seen.has(base)) {
      const parent = viewsetActions(local, classes, new Set([...seen, base]))
      if (parent) {
        viewset = true
        bases.push(base)
        for (const a of parent.names) {
          names.add(a)
          inherited.add(a)
        }
      }
    } else if (/ViewSet$/.test(base)) {
      viewset = true
      unknownBase ??= base
      if (written) bases.push(written)
    }
  }
  if (!viewset) return undefined
  for (const method of classMethods(cls).keys()) if (method in ACTION_METHODS) names.add(method)
  return { names, bases, inherited, ...(unknownBase ? { unknownBase } : {}) }
}

/** The bases as written (`views.BaseViewSet`), generic arguments dropped, in the order of baseNames(). */
function writtenBases(cls: SgNode): Array<string | undefined> {
  return (cls.field('superclasses')?.namedChildren() ?? [])
    .map((b) => (b.kind() === 'subscript' ? (b.field('value') ?? b) : b))
    .filter((b) => dottedName(b))
    .map((b) => dottedName(b))
}

/** The lookup segment: `lookup_url_kwarg`, else `lookup_field`, else `pk`, with `lookup_value_regex`. */
function lookupOf(cls: SgNode): string {
  const attrs = new Map<string, string>()
  for (const stmt of cls.field('body')?.children() ?? []) {
    const assign = stmt.kind() === 'expression_statement' ? stmt.namedChildren()[0] : undefined
    const key = assign?.kind() === 'assignment' ? assign.field('left')?.text() : undefined
    const value = assign?.field('right')
    const s = value ? pyStringLiteral(value) : undefined
    if (key && s !== undefined) attrs.set(key, s)
  }
  const name = attrs.get('lookup_url_kwarg') ?? attrs.get('lookup_field') ?? 'pk'
  return `(?P<${name}>${attrs.get('lookup_value_regex') ?? '[^/.]+'})`
}

/** `@action(detail=True, methods=["post"], url_path="x")` methods, and `@x.mapping.delete` on the same path. */
function extraActions(cls: SgNode, owner: string, lookup: string, facts: FileFacts): void {
  const paths = new Map<string, PathExpr>()
  const body = cls.field('body')?.children() ?? []
  for (const stmt of body) {
    if (stmt.kind() !== 'decorated_definition') continue
    const fn = stmt.field('definition')?.field('name')?.text()
    if (!fn) continue
    for (const dec of stmt.children()) {
      if (dec.kind() !== 'decorator') continue
      const expr = dec.namedChildren()[0]
      if (!expr) continue
      if (expr.kind() === 'call' && expr.field('function')?.text().split('.').pop() === 'action') {
        const args = callArgs(expr)
        const detail = args.keywords.get('detail')?.text() === 'True'
        const urlPath = args.keywords.get('url_path')
        const segment = (urlPath && pyStringLiteral(urlPath)) ?? fn
        const path: PathExpr = [...(detail ? [`${lookup}/`] : []), segment, SLASH]
        paths.set(fn, path)
        const listed = args.keywords.get('methods')
        const methods = (listed && stringList(listed)) ?? ['get']
        facts.routes.push({ methods: methods.map((m) => m.toUpperCase()), path, owner, line: lineOf(dec), handler: `${owner}.${fn}` })
      } else if (expr.kind() === 'attribute') {
        // `@publish.mapping.delete`: another method on the path of the `publish` action.
        const [action, mapping, method] = expr.text().split('.')
        const path = action ? paths.get(action) : undefined
        if (mapping === 'mapping' && method && path)
          facts.routes.push({ methods: [method.toUpperCase()], path, owner, line: lineOf(dec), handler: `${owner}.${fn}` })
      }
    }
  }
}
