import { describe, expect, it } from 'vitest'
import { parseSource } from '../languages/parse.js'
import { appendTarget, chainOf, chainTop, holderOf, returnedValues, variableOwner } from './rust-syntax.js'

const source = `
fn api() -> Router {
    let r = Router::new().route("/a", get(a));
    let r = r.route("/b", get(b));
    r
}
fn app(cfg: &mut ServiceConfig) {
    cfg.service(x);
    let s = if on { Router::new().route("/c", get(c)) } else { Router::new() };
    App::new().service(web::scope("/api").service(y))
}
impl Api { fn routes() -> Router { return Router::new().route("/d", get(d)); } }
`
const root = parseSource('rust', source).root()
/** The top of the chain holding the call `.<method>(` whose first argument is `arg`. */
function topOf(arg: string) {
  const call = root
    .findAll({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'field_expression' } } })
    .find((c) => c.field('arguments')?.namedChildren()[0]?.text() === arg)!
  return chainTop(call)
}

describe('holderOf', () => {
  it.each([
    ['"/a"', 'api/r'],
    ['"/b"', 'api/r'],
    ['"/c"', 'app/s'],
    ['y', 'router@10:24'],
    ['"/d"', 'Api::routes'],
  ])('the chain of %s is held by %s', (arg, owner) => {
    expect(holderOf(topOf(arg))).toBe(owner)
  })

  it('is undefined for a statement and null for a value served as is', () => {
    expect(holderOf(topOf('x'))).toBeUndefined()
    expect(holderOf(topOf('web::scope("/api").service(y)'))).toBe('app')
  })
})

describe('chainOf and variableOwner', () => {
  it('takes a chain apart from its receiver', () => {
    const { base, calls } = chainOf(topOf('"/b"'))
    expect(base.text()).toBe('r')
    expect(calls.map((c) => c.method)).toEqual(['route'])
    expect(variableOwner(base)).toBe('api/r')
  })

  it('maps a parameter to its function', () => {
    expect(variableOwner(chainOf(topOf('x')).base)).toBe('app')
  })
})

describe('appendTarget and returnedValues', () => {
  const lists = parseSource(
    'rust',
    `fn routes() -> Vec<Route> {
    let mut all = routes![a];
    all.append(&mut users::routes());
    all.extend(routes![b]);
    if off { return routes![]; }
    all
}
fn pick() -> Vec<Route> { if on { routes![c] } else { routes![d] } }`,
  ).root()
  const macros = lists.findAll({ rule: { kind: 'macro_invocation' } })

  it('names the collection a list is appended to', () => {
    const call = lists.find({ rule: { kind: 'call_expression', regex: '^users::routes' } })!
    expect(appendTarget(call)).toBe('routes/all')
    expect(macros.map((m) => appendTarget(m))).toEqual([undefined, 'routes/all', undefined, undefined, undefined])
  })

  it('lists the tail and every return of a function', () => {
    const fn = lists.find({ rule: { kind: 'function_item' } })!
    expect(returnedValues(fn).map((v) => v.text())).toEqual(['all', 'routes![]'])
  })

  it('holds an if/else tail by its function', () => {
    expect(macros.slice(3).map((m) => holderOf(m))).toEqual(['pick', 'pick'])
  })
})
