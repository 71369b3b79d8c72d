import { describe, expect, it } from 'vitest'
import { WsFrameReader } from './ws-frames.js'

function frame(opcode: number, payload: Buffer, fin = true, mask?: Buffer): Buffer {
  const len = payload.length
  const head =
    len < 126 ? Buffer.from([0, len]) : len < 65536 ? Buffer.from([0, 126, len >> 8, len & 0xff]) : Buffer.concat([Buffer.from([0, 127]), bigLength(len)])
  head[0] = (fin ? 0x80 : 0) | opcode
  if (!mask) return Buffer.concat([head, payload])
  head[1] = head[1]! | 0x80
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))
  return Buffer.concat([head, mask, masked])
}

function bigLength(n: number): Buffer {
  const b = Buffer.alloc(8)
  b.writeBigUInt64BE(BigInt(n))
  return b
}

describe('WsFrameReader', () => {
  it('reads masked and unmasked messages split anywhere across chunks', () => {
    const bytes = Buffer.concat([
      frame(0x1, Buffer.from('héllo'), true, Buffer.from([1, 2, 3, 4])),
      frame(0x9, Buffer.from('ping')),
      frame(0x2, Buffer.alloc(300, 9)),
      frame(0x2, Buffer.alloc(70_000, 5), true, Buffer.from([9, 8, 7, 6])),
    ])
    for (const step of [1, 7, 1000, bytes.length]) {
      const reader = new WsFrameReader()
      const got = []
      for (let i = 0; i < bytes.length; i += step) got.push(...reader.push(bytes.subarray(i, i + step)))
      expect(got.map((m) => [m.type, m.data.length])).toEqual([
        ['text', 6],
        ['binary', 300],
        ['binary', 70_000],
      ])
      expect(got[0]!.data.toString()).toBe('héllo')
      expect(got[2]!.data.every((b) => b === 5)).toBe(true)
    }
  })

  it('joins fragments, with control frames between them', () => {
    const reader = new WsFrameReader()
    const got = reader.push(
      Buffer.concat([frame(0x1, Buffer.from('ab'), false), frame(0xa, Buffer.alloc(0)), frame(0x0, Buffer.from('cd'), false), frame(0x0, Buffer.from('e'))]),
    )
    expect(got.map((m) => m.data.toString())).toEqual(['abcde'])
  })

  it('stops reading, without throwing, past its size limit', () => {
    const reader = new WsFrameReader(10)
    expect(reader.push(frame(0x2, Buffer.alloc(11)))).toEqual([])
    expect(reader.failed).toBe(true)
  })
})
