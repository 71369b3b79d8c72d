import { describe, expect, it } from 'vitest'
import { parseSource } from './parse.js'
import { analyzeRustModule, rustPathOf } from './rust.js'

const root = (source: string) => parseSource('rust', source).root()

/** Evaluate the value of `let x = <expr>;` inside a function. */
function pathOf(expr: string) {
  const decl = root(`fn f() { let x = ${expr}; }`).find({ rule: { kind: 'let_declaration' } })!
  return rustPathOf(decl.field('value')!)
}

describe('rustPathOf', () => {
  it.each([
    ['"/users"', ['/users']],
    ['"/a\\"b"', ['/a"b']],
    ['r#"/raw/{id}"#', ['/raw/{id}']],
    ['concat!("/api", "/v1")', ['/api/v1']],
    ['concat!(paths::API, "/users")', [{ ref: 'paths::API' }, '/users']],
    ['format!("{}/users/{}", PREFIX, "x")', [{ ref: 'PREFIX' }, '/users/x']],
    ['format!("/users/{{id}}")', ['/users/{id}']],
    ['"/x".to_string()', ['/x']],
    ['&USERS', [{ ref: 'USERS' }]],
    ['crate::paths::USERS', [{ ref: 'crate::paths::USERS' }]],
    ['[base, "/api"].concat()', [{ ref: 'base' }, '/api']],
    ['["/a", "/b"].join("")', ['/a/b']],
  ])('%s', (expr, expected) => {
    expect(pathOf(expr)).toEqual(expected)
  })

  it('gives up on format! with a run-time part', () => {
    expect(pathOf('format!("/r/{:?}", x)')).toEqual([{ unknown: 'format!("/r/{:?}", x)' }])
    expect(pathOf('format!("/r/{}", std::env::var("X").unwrap())')).toHaveLength(1)
    expect(pathOf('std::env::var("X").unwrap()')).toEqual([{ unknown: 'std::env::var("X").unwrap()' }])
  })
})

describe('analyzeRustModule', () => {
  const info = analyzeRustModule(
    root(`
use crate::routes::{users, admin as adm, self};
pub use super::handlers::list;
use axum::{routing::{get, post}, Router};
use crate::util::*;
mod paths;
pub mod api;
pub const USERS: &str = "/users";
static ADMIN: &str = concat!("/ad", "min");
const PORT: u16 = 8080;
mod inline { pub const A: &str = "/a"; }
impl Api { const B: &'static str = "/b"; }
`),
  )

  it('records use declarations, groups, aliases and modules', () => {
    expect(info.imports.users).toEqual({ module: 'crate::routes', name: 'users' })
    expect(info.imports.adm).toEqual({ module: 'crate::routes', name: 'admin' })
    expect(info.imports.routes).toEqual({ module: 'crate', name: 'routes' })
    expect(info.imports.list).toEqual({ module: 'super::handlers', name: 'list' })
    expect(info.imports.get).toEqual({ module: 'axum::routing', name: 'get' })
    expect(info.imports.Router).toEqual({ module: 'axum', name: 'Router' })
    expect(info.imports.paths).toEqual({ module: 'self::paths', name: '*' })
    expect(info.imports.crate).toEqual({ module: 'crate', name: '*' })
    expect(info.exports).toMatchObject({ list: 'list', api: 'api', USERS: 'USERS' })
  })

  it('records string constants and statics, in inline modules and impl blocks', () => {
    expect(info.constants).toEqual({ USERS: ['/users'], ADMIN: ['/admin'], 'inline::A': ['/a'], 'Api::B': ['/b'] })
  })
})
