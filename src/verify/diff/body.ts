/**
 * The diff of two response bodies: structurally when either side is labelled JSON and both parse,
 * as text when both are text, else as bytes (by size and hash).
 */
import { createHash } from 'node:crypto'
import type { Body, Headers, TargetResponse } from '../../model/exchange.js'
import { parseJsonTree } from '../json-tree.js'
import { addDifference, isIgnored, plainPreview, preview, type DiffContext } from './context.js'
import { isJsonMedia, normContentType } from './headers.js'
import { compareStrings, walkJson } from './json.js'

function headerOf(headers: Headers, name: string): string | undefined {
  for (const [n, v] of headers) if (n.toLowerCase() === name) return v
  return undefined
}

/** Content types seen, whether each is JSON: a replay sees a handful, thousands of times. */
const jsonMediaOf = new Map<string, boolean>()

function labelledJson(r: TargetResponse): boolean {
  const ct = headerOf(r.headers, 'content-type')
  if (ct === undefined) return false
  let json = jsonMediaOf.get(ct)
  if (json === undefined) {
    json = isJsonMedia(normContentType(ct).split(';')[0]!)
    if (jsonMediaOf.size >= 256) jsonMediaOf.clear()
    jsonMediaOf.set(ct, json)
  }
  return json
}

export function isEmpty(body: Body | undefined): boolean {
  return body === undefined || (body.size === 0 && !body.text && !body.base64)
}

/** A body's text: as stored, or its bytes when they are valid UTF-8; undefined for binary or hashed bodies. */
export function textOf(body: Body): string | undefined {
  if (body.text !== undefined) return body.text
  if (body.base64 !== undefined) {
    const buf = Buffer.from(body.base64, 'base64')
    const text = buf.toString('utf8')
    return Buffer.byteLength(text) === buf.length && !text.includes('\uFFFD') ? text : undefined
  }
  return undefined
}

function digest(body: Body): string {
  if (body.sha256) return body.sha256
  const bytes = body.text !== undefined ? Buffer.from(body.text, 'utf8') : Buffer.from(body.base64 ?? '', 'base64')
  return createHash('sha256').update(bytes).digest('hex')
}

function bodyPreview(body: Body): unknown {
  const t = body.text
  if (t !== undefined) return preview(t)
  return { size: body.size, sha256: digest(body) }
}

/** Compare the two answers' bodies into the context (`where` is `body`). */
export function compareBodies(ctx: DiffContext, base: TargetResponse, cand: TargetResponse): void {
  const b = base.body
  const c = cand.body
  if (isIgnored(ctx, [])) {
    if (!isEmpty(b) || !isEmpty(c)) {
      if (isEmpty(b) !== isEmpty(c) || (b && c && digest(b) !== digest(c))) ctx.ignored.add('')
    }
    return
  }
  if (isEmpty(b) && isEmpty(c)) return
  if (isEmpty(b)) return addDifference(ctx, [], [], 'extra', undefined, bodyPreview(c!))
  if (isEmpty(c)) return addDifference(ctx, [], [], 'missing', bodyPreview(b!), undefined)
  const bb = b!
  const cb = c!
  // Byte-equal texts parse to one tree (or fail alike): nothing can differ, be normalised or ignored.
  if (bb.text !== undefined && bb.text === cb.text) return
  if (labelledJson(base) || labelledJson(cand)) {
    const tb = textOf(bb)
    const tc = textOf(cb)
    const nb = tb === undefined ? undefined : parseJsonTree(tb)
    const nc = tc === undefined ? undefined : parseJsonTree(tc)
    if (nb !== undefined && nc !== undefined) return walkJson(ctx, nb, nc, [], [])
    if (tb !== undefined && tc !== undefined && (nb === undefined) !== (nc === undefined)) {
      return addDifference(ctx, [], [], 'type', nb === undefined ? preview(tb) : plainPreview(nb), nc === undefined ? preview(tc) : plainPreview(nc))
    }
  }
  if (bb.text !== undefined && cb.text !== undefined) return compareStrings(ctx, bb.text, cb.text, [], [])
  if (bb.size !== cb.size || digest(bb) !== digest(cb)) addDifference(ctx, [], [], 'value', bodyPreview(bb), bodyPreview(cb))
}
