/**
 * Splits a SQL migration file into statements, the way the migration tools read it: `;` ends a
 * statement outside strings, quoted names, comments and PostgreSQL dollar quotes; goose's
 * `-- +goose Up` / `-- +goose Down` and dbmate's `-- migrate:up` / `-- migrate:down` keep only the
 * up section; goose's `StatementBegin` / `StatementEnd` enclose one statement. A character scanner,
 * not a parser: each statement is then handed to a real SQL parser.
 */

export interface SqlToken {
  kind: 'word' | 'quoted' | 'string' | 'punct'
  /** Words as written; quoted names without their quotes. */
  text: string
  line: number
  offset: number
  /** Parenthesis depth inside the statement (0 outside any). */
  depth: number
}

export interface SqlStatement {
  /** The statement's text, from its first token to before its `;`. */
  text: string
  /** 1-based line of its first token. */
  line: number
  tokens: SqlToken[]
}

const isWordChar = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '$' || c > '\x7f'

/** The up-migration statements of one file. */
export function splitStatements(source: string): SqlStatement[] {
  const statements: SqlStatement[] = []
  let tokens: SqlToken[] = []
  let depth = 0
  let line = 1
  // goose/dbmate sections: undefined until an annotation is seen, then whether we are in "up".
  let inUp: boolean | undefined
  let block = false
  const flush = (end: number) => {
    if (tokens.length && inUp !== false) {
      statements.push({ text: source.slice(tokens[0]!.offset, end).trimEnd(), line: tokens[0]!.line, tokens })
    }
    tokens = []
    depth = 0
  }
  const annotation = (comment: string, at: number) => {
    const c = comment.trim().toLowerCase()
    if (c === '+goose up' || c.startsWith('+goose up ') || c === 'migrate:up' || c.startsWith('migrate:up ')) {
      flush(at)
      inUp = true
    } else if (c === '+goose down' || c.startsWith('+goose down ') || c === 'migrate:down' || c.startsWith('migrate:down ')) {
      flush(at)
      inUp = false
    } else if (c === '+goose statementbegin') {
      flush(at)
      block = true
    } else if (c === '+goose statementend') {
      flush(at)
      block = false
    }
  }
  let i = 0
  const n = source.length
  const advanceTo = (end: number) => {
    for (let k = i; k < end && k < n; k++) if (source[k] === '\n') line++
    i = end
  }
  while (i < n) {
    const c = source[i]!
    const next = source[i + 1]
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      advanceTo(i + 1)
    } else if (c === '-' && next === '-') {
      let end = source.indexOf('\n', i)
      if (end < 0) end = n
      annotation(source.slice(i + 2, end), i)
      advanceTo(end)
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2)
      advanceTo(end < 0 ? n : end + 2)
    } else if (c === "'" || c === '"' || c === '`') {
      const start = i
      const startLine = line
      let k = i + 1
      for (; k < n; k++) {
        const ch = source[k]!
        if (ch === '\\' && c === "'") k++
        else if (ch === c) {
          if (source[k + 1] === c) k++
          else break
        }
      }
      advanceTo(Math.min(k + 1, n))
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', text: source.slice(start + 1, k), line: startLine, offset: start, depth })
    } else if (c === '$' && dollarTag(source, i) !== undefined) {
      const tag = dollarTag(source, i)!
      const start = i
      const startLine = line
      const end = source.indexOf(tag, i + tag.length)
      advanceTo(end < 0 ? n : end + tag.length)
      tokens.push({ kind: 'string', text: source.slice(start, i), line: startLine, offset: start, depth })
    } else if (isWordChar(c)) {
      const start = i
      let k = i + 1
      while (k < n && isWordChar(source[k]!)) k++
      tokens.push({ kind: 'word', text: source.slice(start, k), line, offset: start, depth })
      i = k
    } else {
      if (c === ';' && !block) {
        flush(i)
        i++
        continue
      }
      if (c === ')') depth = Math.max(0, depth - 1)
      tokens.push({ kind: 'punct', text: c, line, offset: i, depth })
      if (c === '(') depth++
      i++
    }
  }
  flush(n)
  return statements
}

/** `$$` or `$tag$` opening a dollar-quoted string at `i`, unless `$` continues a word. */
function dollarTag(source: string, i: number): string | undefined {
  if (i > 0 && isWordChar(source[i - 1]!)) return undefined
  let k = i + 1
  while (k < source.length && source[k] !== '$') {
    const ch = source[k]!
    if (!isWordChar(ch) || ch === '$' || (k === i + 1 && ch >= '0' && ch <= '9')) return undefined
    k++
  }
  return k < source.length ? source.slice(i, k + 1) : undefined
}

/** What a statement does to the schema, from its leading words; undefined for everything else. */
export function schemaStatementKind(statement: SqlStatement): 'create' | 'alter' | 'drop' | 'rename' | undefined {
  const words: string[] = []
  for (const t of statement.tokens) {
    if (t.kind !== 'word' || words.length === 5) break
    words.push(t.text.toLowerCase())
  }
  const [first, ...rest] = words
  if (first === 'create') {
    // CREATE [OR REPLACE] [GLOBAL | LOCAL] [UNLOGGED] TABLE; temporary tables do not outlive the migration.
    for (const w of rest) {
      if (w === 'table') return 'create'
      if (w === 'temporary' || w === 'temp' || !['or', 'replace', 'global', 'local', 'unlogged'].includes(w)) return undefined
    }
    return undefined
  }
  if (rest[0] !== 'table') return undefined
  if (first === 'alter') return 'alter'
  if (first === 'drop') return 'drop'
  if (first === 'rename') return 'rename'
  return undefined
}
