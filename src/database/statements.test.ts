import { describe, expect, it } from 'vitest'
import { schemaStatementKind, splitStatements } from './statements.js'

const split = (sql: string) => splitStatements(sql).map((s) => `${s.line}: ${s.text}`)

describe('splitStatements', () => {
  it('ends statements at ; outside strings, quoted names, comments and dollar quotes', () => {
    const sql = [
      "INSERT INTO t VALUES ('a;b', 'it''s');",
      'CREATE TABLE "odd;name" (x int); -- trailing; comment',
      '/* a; block */ SELECT $$ body; $$, $fn$ x; $fn$;',
      'SELECT a$b$c FROM t',
    ].join('\n')
    expect(split(sql)).toEqual([
      "1: INSERT INTO t VALUES ('a;b', 'it''s')",
      '2: CREATE TABLE "odd;name" (x int)',
      '3: SELECT $$ body; $$, $fn$ x; $fn$',
      '4: SELECT a$b$c FROM t',
    ])
  })

  it('keeps only the up section of goose and dbmate files; StatementBegin/End is one statement', () => {
    const goose = [
      '-- +goose Up',
      'CREATE TABLE a (x int);',
      '-- +goose StatementBegin',
      'SELECT 1; SELECT 2;',
      '-- +goose StatementEnd',
      '-- +goose Down',
      'DROP TABLE a;',
    ].join('\n')
    expect(split(goose)).toEqual(['2: CREATE TABLE a (x int)', '4: SELECT 1; SELECT 2;'])
    const dbmate = ['-- migrate:up', 'CREATE TABLE b (y int);', '-- migrate:down', 'DROP TABLE b;'].join('\n')
    expect(split(dbmate)).toEqual(['2: CREATE TABLE b (y int)'])
  })

  it('records each token with its parenthesis depth', () => {
    const [statement] = splitStatements('CREATE TABLE t (\n  id int,\n  n numeric(10, 2)\n)')
    expect(statement!.tokens.filter((t) => t.kind === 'word').map((t) => `${t.text}@${t.line}/${t.depth}`)).toEqual([
      'CREATE@1/0',
      'TABLE@1/0',
      't@1/0',
      'id@2/1',
      'int@2/1',
      'n@3/1',
      'numeric@3/1',
      '10@3/2',
      '2@3/2',
    ])
  })
})

describe('schemaStatementKind', () => {
  it('names statements that change tables, and nothing else', () => {
    const kind = (sql: string) => schemaStatementKind(splitStatements(sql)[0]!)
    expect(kind('CREATE TABLE t (x int)')).toBe('create')
    expect(kind('create unlogged table t (x int)')).toBe('create')
    expect(kind('CREATE TEMPORARY TABLE t (x int)')).toBeUndefined()
    expect(kind('CREATE INDEX i ON t (x)')).toBeUndefined()
    expect(kind('CREATE OR REPLACE VIEW v AS SELECT 1')).toBeUndefined()
    expect(kind('ALTER TABLE t ADD COLUMN y int')).toBe('alter')
    expect(kind('ALTER SEQUENCE s RESTART')).toBeUndefined()
    expect(kind('DROP TABLE t')).toBe('drop')
    expect(kind('RENAME TABLE a TO b')).toBe('rename')
    expect(kind('INSERT INTO t VALUES (1)')).toBeUndefined()
  })
})
