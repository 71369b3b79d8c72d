/**
 * The built-in noise detectors: two values of one shape (UUIDs, timestamps, epochs, hex ids,
 * tokens) differ only by noise; two timestamps of one instant differ only by format.
 */
import { digitCount, isToken, isUuid } from '../../model/id-shape.js'

const isoRe = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/i
const rfcRe = /^(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} (?:GMT|UTC|[+-]\d{4})$/
const hexRe = /^[0-9a-f]{16,}$/i

/**
 * The shape of a string the detectors treat as noise (`uuid`, `iso:dddd-dd-ddTdd:dd:ddZ`, `rfc`,
 * `hex:32`, `token`), or undefined for an ordinary value. Two values of one shape differ only by noise.
 */
export function stringShape(s: string): string | undefined {
  if (isUuid(s)) return 'uuid'
  if (isoRe.test(s)) return `iso:${s.replace(/\d/g, 'd')}`
  if (rfcRe.test(s)) return 'rfc'
  if (hexRe.test(s) && digitCount(s) > 0) return `hex:${s.length}`
  if (isToken(s)) return 'token'
  return undefined
}

const year = 365.25 * 24 * 3600
/** `epoch-s` or `epoch-ms` for an integer within twenty years before and five after now. */
export function numberShape(raw: string, nowS: number): string | undefined {
  if (!/^\d+$/.test(raw)) return undefined
  const n = Number(raw)
  if (n >= nowS - 20 * year && n <= nowS + 5 * year) return 'epoch-s'
  if (n >= (nowS - 20 * year) * 1000 && n <= (nowS + 5 * year) * 1000) return 'epoch-ms'
  return undefined
}

/** A timestamp as epoch seconds and its fraction digits as written; undefined when not one. */
function parseInstant(s: string): { sec: number; frac: string } | undefined {
  const m = isoRe.exec(s)
  if (m) {
    const [, y, mo, d, h, mi, se, frac, zone] = m
    let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se))
    if (zone && zone.toUpperCase() !== 'Z') {
      const z = zone.replace(':', '')
      const off = (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000
      ms -= z.startsWith('-') ? -off : off
    }
    return Number.isNaN(ms) ? undefined : { sec: ms / 1000, frac: frac ?? '' }
  }
  if (rfcRe.test(s)) {
    const ms = Date.parse(s)
    return Number.isNaN(ms) ? undefined : { sec: ms / 1000, frac: '' }
  }
  return undefined
}

/** Same instant whatever the format or zone, compared at the coarser of the two precisions. */
export function sameInstant(a: string, b: string): boolean {
  const x = parseInstant(a)
  const y = parseInstant(b)
  if (!x || !y || x.sec !== y.sec) return false
  const p = Math.min(x.frac.length, y.frac.length)
  return x.frac.slice(0, p) === y.frac.slice(0, p)
}
