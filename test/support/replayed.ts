/** Replayed exchanges built by hand: an answer of each side, and the exchange that carries them. */
import type { Headers, ReplayedExchange, TargetResponse } from '../../src/model/exchange.js'

export const answer = (text: string | undefined, status = 200, headers: Headers = [['content-type', 'application/json']]): TargetResponse => ({
  status,
  headers,
  durationMs: 1,
  ...(text === undefined ? {} : { body: { text, size: Buffer.byteLength(text) } }),
})

export const rx = (url: string, baseline: TargetResponse, candidate: TargetResponse, baseline2?: TargetResponse, method = 'GET'): ReplayedExchange => {
  const request = { method, url, headers: [] as Headers }
  return {
    exchange: { id: url, session: 's', seq: 0, request },
    sent: { baseline: request, candidate: request },
    baseline,
    candidate,
    ...(baseline2 ? { baseline2 } : {}),
  }
}
