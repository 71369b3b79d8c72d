/**
 * One exchange drawn for reading: a request, and both answers side by side with the differing fields
 * highlighted and the noise muted.
 */
import type { Body, Difference, Headers, IgnoreRule, TargetResponse } from '../../../model/exchange.js'
import { fmtMs } from '../format.js'
import { esc } from '../html.js'

interface Line {
  /** The JSON Pointer of the value the line shows; null for none. */
  ptr: string | null
  text: string
  muted?: boolean
}

// A JSON Pointer segment, escaped (RFC 6901).
function seg(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1')
}

function pointerWithin(pointer: string, prefix: string): boolean {
  return prefix === '' || pointer === prefix || pointer.indexOf(`${prefix}/`) === 0
}

// An ignore rule's pointer, where a `*` segment matches any one key or index; it covers its descendants.
function rulePointerMatches(pattern: string, pointer: string): boolean {
  if (pattern === '' || pattern === '/') return true
  const p = pattern.split('/'),
    q = pointer.split('/')
  if (q.length < p.length) return false
  for (let i = 1; i < p.length; i++) if (p[i] !== '*' && p[i] !== q[i]) return false
  return true
}

// Pretty-printed JSON as lines, each with the JSON Pointer of the value it shows.
function jsonLines(value: unknown): Line[] {
  const out: Line[] = []
  function walk(v: unknown, ptr: string, depth: number, prefix: string, comma: string): void {
    const pad = new Array(depth + 1).join('  ')
    const isArr = Array.isArray(v)
    const obj = v && typeof v === 'object' ? (v as Record<string, unknown>) : null
    const keys: Array<string | number> | null = obj ? (Array.isArray(obj) ? obj.map((_, i) => i) : Object.keys(obj)) : null
    if (!obj || !keys?.length) {
      out.push({ ptr, text: pad + prefix + JSON.stringify(v) + comma })
      return
    }
    out.push({ ptr, text: pad + prefix + (isArr ? '[' : '{') })
    keys.forEach((k, i) => {
      walk(obj[k], `${ptr}/${seg(k)}`, depth + 1, isArr ? '' : `${JSON.stringify(k)}: `, i < keys.length - 1 ? ',' : '')
    })
    out.push({ ptr, text: pad + (isArr ? ']' : '}') + comma })
  }
  walk(value, '', 0, '', '')
  return out
}

function bodyLines(body: Body | undefined): Line[] {
  if (!body) return [{ ptr: null, text: '(no body)', muted: true }]
  if (body.text == null) {
    return [
      {
        ptr: '',
        text: body.base64 != null ? `(binary, ${body.size} bytes)` : `(${body.size} bytes, sha256 ${String(body.sha256 || '').slice(0, 16)}\u2026)`,
        muted: true,
      },
    ]
  }
  try {
    return jsonLines(JSON.parse(body.text))
  } catch {
    /* not JSON: shown as text */
  }
  return body.text.split('\n').map((t) => ({ ptr: '', text: t }))
}

// Lines of a body: differing pointers highlighted, noise fields muted.
export function bodyBlock(body: Body | undefined, diffs: Difference[], noise: IgnoreRule[]): string {
  const pointers = diffs.filter((g) => g.where === 'body').map((g) => g.pointer)
  const noisy = noise.filter((r) => r.where === 'body').map((r) => r.pointer)
  return `<pre class="body">${bodyLines(body)
    .map((l) => {
      const ptr = l.ptr
      const hit = ptr != null && pointers.some((p) => pointerWithin(ptr, p))
      const isNoise = !hit && ptr != null && ptr !== '' && noisy.some((p) => rulePointerMatches(p, ptr))
      if (hit) return `<mark class="ln hl" data-pointer="${esc(ptr)}">${esc(l.text)}</mark>`
      if (isNoise) return `<span class="ln noise" data-pointer="${esc(ptr)}">${esc(l.text)} <span class="tag">noise (ignored)</span></span>`
      return `<span class="ln${l.muted ? ' muted' : ''}">${esc(l.text)}</span>`
    })
    .join('')}</pre>`
}

export function headerBlock(headers: Headers | undefined, diffs: Difference[], noise: IgnoreRule[]): string {
  if (!headers?.length) return ''
  const names = diffs.filter((g) => g.where === 'header').map((g) => String(g.pointer).split('/')[0]!.toLowerCase())
  const noisy = noise.filter((r) => r.where === 'header').map((r) => String(r.pointer).replace(/^\//, '').toLowerCase())
  return `<div class="headers">${headers
    .map((h) => {
      const name = String(h[0]).toLowerCase()
      const line = `${esc(h[0])}: ${esc(h[1])}`
      if (names.indexOf(name) >= 0) return `<mark class="ln hl" data-header="${esc(name)}">${line}</mark>`
      if (noisy.indexOf(name) >= 0) return `<span class="ln noise">${line} <span class="tag">noise (ignored)</span></span>`
      return `<span class="ln">${line}</span>`
    })
    .join('')}</div>`
}

export function answerBlock(
  side: 'baseline' | 'candidate',
  label: string,
  answer: TargetResponse | undefined,
  diffs: Difference[],
  noise: IgnoreRule[],
): string {
  const statusDiff = diffs.some((g) => g.where === 'status')
  let html = `<div class="side side-${side}" data-side="${side}"><h4>${esc(label)} <span class="muted small">${side}</span></h4>`
  if (!answer) return `${html}<p class="muted">No answer recorded.</p></div>`
  html +=
    '<div class="status-line' +
    (statusDiff ? ' hl' : '') +
    '">HTTP <b>' +
    esc(answer.status) +
    '</b>' +
    (answer.durationMs != null ? ` <span class="muted small">${esc(fmtMs(answer.durationMs))} ms</span>` : '') +
    '</div>'
  if (answer.error) html += `<p class="bad">${esc(answer.error.code)}: ${esc(answer.error.message)}</p>`
  return `${html + headerBlock(answer.headers, diffs, noise) + bodyBlock(answer.body, diffs, noise)}</div>`
}
