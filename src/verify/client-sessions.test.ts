import { describe, expect, it } from 'vitest'
import { ClientSessions, identifyingCookie, requestCredentials } from './client-sessions.js'

describe('client sessions', () => {
  it('joins a request to the login whose answer issued its token, whatever the connection', () => {
    const s = new ClientSessions('r')
    const [c1, c2] = [{}, {}]
    const login = s.take(c1, [['content-type', 'application/json']])
    s.issued(login.session, [['content-type', 'application/json']], Buffer.from(JSON.stringify({ user: 'ann', accessToken: 'tok-0123456789' })))
    const create = s.take(c2, [['authorization', 'Bearer tok-0123456789']])
    expect(create).toEqual({ session: login.session, seq: 1 })
    // The second connection now carries that client: its anonymous requests stay with it.
    expect(s.take(c2, [])).toEqual({ session: login.session, seq: 2 })
  })

  it('joins requests that present a cookie the answer set', () => {
    const s = new ClientSessions('r')
    const login = s.take({}, [])
    s.issued(login.session, [['set-cookie', 'sid=abcdef123456; Path=/; HttpOnly']])
    expect(s.take({}, [['cookie', 'theme=dark; sid=abcdef123456']]).session).toBe(login.session)
  })

  it('keeps two clients apart on one connection, and anonymous requests on fresh connections apart', () => {
    const s = new ClientSessions('r')
    const conn = {}
    const a = s.take(conn, [['authorization', 'Bearer aaaaaaaaaaaaaaaa']])
    const b = s.take(conn, [['authorization', 'Bearer bbbbbbbbbbbbbbbb']])
    expect(b.session).not.toBe(a.session)
    expect(s.take({}, []).session).not.toBe(s.take({}, []).session)
  })

  it('takes the headers named secret on the command line as credentials', () => {
    const s = new ClientSessions('r', { credentialHeaders: ['X-Tenant-Key'] })
    const a = s.take({}, [['x-tenant-key', 'tenant-0123456789']])
    expect(s.take({}, [['x-tenant-key', 'tenant-0123456789']]).session).toBe(a.session)
  })

  it('lets a configured header decide alone', () => {
    const s = new ClientSessions('r', { sessionHeader: 'X-Client-Id' })
    const a = s.take({}, [['x-client-id', 'one']])
    expect(s.take({}, [['x-client-id', 'one']]).session).toBe(a.session)
    expect(s.take({}, [['x-client-id', 'two']]).session).not.toBe(a.session)
  })

  it('stays bounded, and never numbers two requests alike when an idle session was let go', () => {
    const s = new ClientSessions('r')
    const first = {}
    const ids = new Set([JSON.stringify(s.take(first, []))])
    for (let i = 0; i < 100_000; i++) s.take({}, [])
    const again = s.take(first, [])
    expect(ids.has(JSON.stringify(again))).toBe(false)
    expect(again.seq).toBe(0)
  })

  it('takes only values that can identify a client', () => {
    expect(identifyingCookie('theme', 'dark')).toBe(false)
    expect(identifyingCookie('lang', 'en-GB-oxendict')).toBe(false)
    expect(identifyingCookie('connect.sid', 's%3Aabcdefgh')).toBe(true)
    expect(identifyingCookie('_ga', 'GA1.1.1234567')).toBe(true)
    expect(
      requestCredentials([
        ['authorization', 'Basic dXNlcjpwYXNzd29yZA=='],
        ['x-auth-token', 'short'],
        ['accept', 'application/json-long-value'],
      ]),
    ).toEqual(['dXNlcjpwYXNzd29yZA=='])
  })
})
