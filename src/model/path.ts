/**
 * Route path canonicalisation: every framework's parameter syntax becomes `{name}`, and the key
 * blanks the names so that the same route written in two languages gets the same key.
 */

/** Join a mount prefix and a route path the way routers do: one slash between, no trailing `/` added. */
export function joinPaths(...parts: string[]): string {
  let out = ''
  for (const raw of parts) {
    if (raw === '' || raw === '/') continue
    const part = raw.startsWith('/') ? raw : `/${raw}`
    out = out.endsWith('/') ? out + part.slice(1) : out + part
  }
  if (out === '') {
    // A route path of "/" under no prefix, or a trailing-slash route, is served at "/".
    return '/'
  }
  // An empty route under `api/` (Django's `path("", view)`) is served at `/api/`.
  const last = parts.filter((p) => p !== '').pop()
  if (last?.endsWith('/') && last !== '/' && !out.endsWith('/')) out += '/'
  return out
}

const angle = /^<(?:[A-Za-z_][\w]*:)?([A-Za-z_][\w]*)(?:\.\.)?>$/

/**
 * Rewrite one path, written in any framework's syntax, with parameters as `{name}`:
 * `:id`, `:id?`, `:id(\\d+)`, `*`, `*rest`, `<id>`, `<int:id>`, `<path..>`, `{id}`, `{id:int}`,
 * `{id:[0-9]+}`, `{*rest}`, `{rest...}`, `(?P<id>[0-9]+)`, Express 5 optional groups `{/:id}`, hapi's `{id?}`,
 * `{path*}` and `{pair*2}` (two segments).
 * Go's `{$}` (exact match) and regex anchors are dropped.
 */
export function normalizePath(path: string): string {
  let p = path.trim()
  if (p.startsWith('^')) p = p.slice(1)
  if (p.endsWith('$') && !p.endsWith('{$}')) p = p.slice(0, -1)
  p = p.replace(/\{\$\}$/, '')
  let out = ''
  let i = 0
  while (i < p.length) {
    const c = p[i]!
    if (c === '{') {
      const end = matchingBrace(p, i)
      const inner = p.slice(i + 1, end)
      i = end + 1
      // A key's blank parameter `{}` and an unknown part `{?}`, as parity writes them in keys and rules.
      if (inner === '' || inner === '?') {
        out += `{${inner}}`
        continue
      }
      if (!/^[A-Za-z_*$]/.test(inner)) {
        // Express 5 optional group (`{/:id}`, `{.:format}`): listed with the optional part present.
        out += normalizePath(inner).slice(inner.startsWith('/') ? 0 : 1)
        continue
      }
      // hapi: `{id?}` (optional), `{path*}` (any number of segments), `{pair*2}` (exactly two segments).
      const hapi = /^(\w+)(\?|\*(\d*))$/.exec(inner)
      if (hapi) {
        const count = Number(hapi[3] || 1)
        out += Array.from({ length: count }, (_, n) => `{${hapi[1]}${count > 1 ? n + 1 : ''}}`).join('/')
        continue
      }
      out += `{${paramName(
        inner
          .replace(/^\*/, '')
          .replace(/\.\.\.$/, '')
          .split(':')[0] ?? '',
      )}}`
      continue
    }
    if (c === '(' && p.startsWith('(?P<', i)) {
      const close = p.indexOf('>', i)
      const name = p.slice(i + 4, close)
      i = skipGroup(p, i)
      out += `{${paramName(name)}}`
      continue
    }
    if (c === '<') {
      const close = p.indexOf('>', i)
      const token = close === -1 ? p.slice(i) : p.slice(i, close + 1)
      const m = angle.exec(token)
      if (m) {
        out += `{${m[1]}}`
        i += token.length
        continue
      }
    }
    // After `/`, `-`, `.`, or right after a parameter's pattern (find-my-way's `/:table(^\\d+):column` is two parameters).
    if (
      c === ':' &&
      (i === 0 || p[i - 1] === '/' || p[i - 1] === '-' || p[i - 1] === '.' || (p[i - 1] === ')' && out.endsWith('}'))) &&
      /[A-Za-z_]/.test(p[i + 1] ?? '')
    ) {
      let j = i + 1
      while (j < p.length && /[\w]/.test(p[j]!)) j++
      const name = p.slice(i + 1, j)
      if (p[j] === '(') j = skipGroup(p, j)
      // Hono's `:id{[0-9]+}` pattern (not an Express 5 optional group such as `{.:ext}`, which holds a parameter).
      if (p[j] === '{') {
        const end = matchingBrace(p, j)
        if (!/(^|[^?]):[A-Za-z_]|\*[A-Za-z_]/.test(p.slice(j + 1, end))) j = end + 1
      }
      if (p[j] === '?' || p[j] === '+' || p[j] === '*') j++
      out += `{${name}}`
      i = j
      continue
    }
    if ((c === '*' || c === '+') && (i === 0 || p[i - 1] === '/')) {
      let j = i + 1
      while (j < p.length && /[\w]/.test(p[j]!)) j++
      const name = p.slice(i + 1, j)
      out += `{${name || '*'}}`
      i = j
      continue
    }
    out += c
    i++
  }
  out = out.replace(/\/{2,}/g, '/')
  if (!out.startsWith('/')) out = `/${out}`
  return out
}

function paramName(raw: string): string {
  const name = raw.trim()
  return name === '' ? '*' : name
}

function matchingBrace(p: string, open: number): number {
  let depth = 0
  for (let j = open; j < p.length; j++) {
    if (p[j] === '{') depth++
    else if (p[j] === '}' && --depth === 0) return j
  }
  return p.length - 1
}

function skipGroup(p: string, open: number): number {
  let depth = 0
  for (let j = open; j < p.length; j++) {
    if (p[j] === '\\') {
      j++
      continue
    }
    if (p[j] === '(') depth++
    else if (p[j] === ')' && --depth === 0) return j + 1
  }
  return p.length
}

/** The canonical key of a normalized path: parameter names blanked, trailing slash dropped. */
export function pathKey(normalized: string): string {
  let k = normalized.replace(/\{[^}]*\}/g, '{}')
  if (k.length > 1 && k.endsWith('/')) k = k.slice(0, -1)
  return k
}

/** `GET /api/articles/{}`: the key that pairs the same endpoint across languages. */
export function routeKey(method: string, normalizedPath: string): string {
  return `${method.toUpperCase()} ${pathKey(normalizedPath)}`
}

const versionSegment = /^v\d+(\.\d+)?$/i
const genericSegments = new Set(['api', 'apis', 'rest', 'public', 'internal', 'private', 'service', 'services'])

/**
 * The component a path belongs to when the config names none: its first meaningful literal
 * segment (`/api/v1/articles/{id}` -> `articles`), or `root`.
 */
export function componentOf(normalizedPath: string): string {
  for (const seg of normalizedPath.split('/')) {
    if (seg === '' || seg.startsWith('{') || versionSegment.test(seg) || genericSegments.has(seg.toLowerCase())) continue
    return seg.replace(/\{.*$/, '').toLowerCase() || 'root'
  }
  return 'root'
}

/** `{?}/users/:id` -> `/{?}/users/{id}`: the known parts normalised, each unknown part kept as `{?}`. */
export function unresolvedPath(known: string): string {
  const parts = known.split('{?}').map((p) => (p === '' ? '' : normalizePath(p)))
  let out = parts.join('{?}').replace(/\/{2,}/g, '/')
  if (!out.startsWith('/')) out = `/${out}`
  return out
}

/** The key of a partly unknown path: parameters blanked, `{?}` kept, so that it never equals a resolved key. */
export function unresolvedKey(path: string): string {
  return pathKey(path.replaceAll('{?}', '\u0000')).replaceAll('\u0000', '{?}')
}
