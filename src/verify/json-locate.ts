/**
 * Where a JSON text stops being valid: the offset, line and column, and the path of the value being
 * read (`log.entries[3].response.content`). Node 20's JSON.parse names no position for a truncated
 * file, and a HAR error is only useful when it names the entry; this scanner runs only after
 * JSON.parse has failed, so it need not be fast.
 */
export interface JsonErrorLocation {
  offset: number
  line: number
  column: number
  /** Path of the innermost value being read, `` at the top. */
  path: string
  reason: string
}

class Stop {
  constructor(
    readonly offset: number,
    readonly path: string,
    readonly reason: string,
  ) {}
}

const MAX_DEPTH = 512

/** Locates the first error in `text`; undefined when the text is valid JSON. */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  let i = 0
  const fail = (path: string, reason: string): never => {
    throw new Stop(i, path, i >= text.length ? 'unexpected end of input (truncated?)' : reason)
  }
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++
  }
  const readString = (path: string): string => {
    const start = i
    i++
    while (i < text.length) {
      const c = text[i]!
      if (c === '"') {
        i++
        return JSON.parse(text.slice(start, i)) as string
      }
      if (c === '\\') {
        const e = text[i + 1]
        if (e === undefined) break
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(path, 'bad \\u escape')
          i += 6
        } else if ('"\\/bfnrt'.includes(e)) i += 2
        else {
          i++
          fail(path, `bad escape \\${e}`)
        }
      } else if (c < ' ') fail(path, 'control character in a string')
      else i++
    }
    return fail(path, 'unterminated string')
  }
  const readValue = (path: string, depth: number): void => {
    if (depth > MAX_DEPTH) fail(path, 'nested too deeply')
    skipSpace()
    const c = text[i]
    if (c === undefined) fail(path, '')
    if (c === '{') {
      i++
      skipSpace()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        skipSpace()
        if (text[i] !== '"') fail(path, `expected a property name, found ${show(text[i])}`)
        const key = readString(path)
        const child = path + (/^[A-Za-z_$][\w$]*$/.test(key) ? (path ? '.' : '') + key : `[${JSON.stringify(key)}]`)
        skipSpace()
        if (text[i] !== ':') fail(child, `expected ':', found ${show(text[i])}`)
        i++
        readValue(child, depth + 1)
        skipSpace()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return
        }
        fail(path, `expected ',' or '}', found ${show(text[i])}`)
      }
    }
    if (c === '[') {
      i++
      skipSpace()
      if (text[i] === ']') {
        i++
        return
      }
      for (let n = 0; ; n++) {
        readValue(`${path}[${n}]`, depth + 1)
        skipSpace()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === ']') {
          i++
          return
        }
        fail(path, `expected ',' or ']', found ${show(text[i])}`)
      }
    }
    if (c === '"') {
      readString(path)
      return
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (m && m[0] !== '-') {
      i += m[0].length
      return
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length
        return
      }
      // A literal cut short by the end of the file is a truncation, not a bad token.
      if (word.startsWith(text.slice(i)) && i < text.length) {
        i = text.length
        fail(path, '')
      }
    }
    fail(path, `unexpected ${show(c)}`)
  }
  try {
    readValue('', 0)
    skipSpace()
    if (i < text.length) fail('', `unexpected ${show(text[i])} after the end of the value`)
    return undefined
  } catch (e) {
    if (!(e instanceof Stop)) throw e
    const before = text.slice(0, e.offset)
    const line = before.split('\n').length
    const column = e.offset - before.lastIndexOf('\n')
    return { offset: e.offset, line, column, path: e.path, reason: e.reason }
  }
}

function show(c: string | undefined): string {
  return c === undefined ? 'the end of the file' : JSON.stringify(c)
}
