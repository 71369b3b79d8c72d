/**
 * Reads WebSocket messages out of the raw bytes of one direction of a connection (RFC 6455 §5),
 * so the recording proxy can pipe sockets byte for byte and still record what was said.
 * Fragmented messages are joined; control frames (ping, pong, close) are not messages.
 */

export interface WsFrameMessage {
  type: 'text' | 'binary'
  data: Buffer
}

export class WsFrameReader {
  private buffered: Buffer = Buffer.alloc(0)
  private fragments: Buffer[] = []
  private fragmentType: 'text' | 'binary' = 'text'
  /** Set once the stream stops making sense (a frame too large, a bad opcode): reading stops, piping goes on. */
  failed = false

  constructor(private readonly maxMessageBytes = 16 * 1024 * 1024) {}

  /** Feeds bytes as they arrive; returns the messages completed by them. */
  push(chunk: Buffer): WsFrameMessage[] {
    if (this.failed) return []
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
    const messages: WsFrameMessage[] = []
    for (;;) {
      const frame = this.nextFrame()
      if (!frame) break
      const { fin, opcode, payload } = frame
      if (opcode >= 0x8) continue // control frames may interleave with fragments
      if (opcode === 0x1 || opcode === 0x2) {
        this.fragments = [payload]
        this.fragmentType = opcode === 0x1 ? 'text' : 'binary'
      } else if (opcode === 0x0) {
        this.fragments.push(payload)
      } else {
        this.failed = true
        break
      }
      if (fin) {
        messages.push({ type: this.fragmentType, data: Buffer.concat(this.fragments) })
        this.fragments = []
      }
    }
    return messages
  }

  private nextFrame(): { fin: boolean; opcode: number; payload: Buffer } | undefined {
    const b = this.buffered
    if (b.length < 2) return undefined
    const first = b[0]!
    const second = b[1]!
    const masked = (second & 0x80) !== 0
    let length = second & 0x7f
    let offset = 2
    if (length === 126) {
      if (b.length < 4) return undefined
      length = b.readUInt16BE(2)
      offset = 4
    } else if (length === 127) {
      if (b.length < 10) return undefined
      const big = b.readBigUInt64BE(2)
      if (big > BigInt(this.maxMessageBytes)) {
        this.failed = true
        return undefined
      }
      length = Number(big)
      offset = 10
    }
    if (length > this.maxMessageBytes) {
      this.failed = true
      return undefined
    }
    const maskOffset = offset
    if (masked) offset += 4
    if (b.length < offset + length) return undefined
    const payload = Buffer.from(b.subarray(offset, offset + length))
    if (masked) {
      for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ b[maskOffset + (i % 4)]!
    }
    this.buffered = b.subarray(offset + length)
    return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload }
  }
}
