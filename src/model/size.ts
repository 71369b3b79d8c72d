import { ParityError } from './errors.js'

/** `2MB`, `512k`, `1048576` -> bytes. */
export function parseSize(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb)?$/i.exec(value.trim())
  if (!m) throw new ParityError('USAGE', `${flag} ${value} is not a size`, 'write a number of bytes, or with a unit: 512kb, 2mb')
  const unit = (m[2] ?? 'b').toLowerCase()[0]
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1
  return Math.round(Number(m[1]) * factor)
}
