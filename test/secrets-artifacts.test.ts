/**
 * Secrets never reach disk: `parity run` replays a session against two servers whose answers carry
 * planted secrets (a token in JSON, a JWT under an innocent name, a Set-Cookie, an x-auth-token header,
 * a gzip body, and a field and a header secret only by the config's `redact` lists), and every file the run writes (history, JSON, HTML, Markdown vault, JUnit, logs) is
 * searched byte by byte for them.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, expect, it } from 'vitest'

const repo = new URL('..', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'parity-secrets-'))
const servers: Server[] = []
const JWT = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"sub":"PLANTED-SUB"}').toString('base64url')}.UExBTlRFRC1TSUc`
/** Secret by the defaults, and (E, F) by the config's `redact` lists only. */
const PLANTED = ['PLANTED-TOKEN-A', 'PLANTED-COOKIE-B', 'PLANTED-HEADER-C', 'PLANTED-GZ-D', JWT, 'PLANTED-CUSTOM-E', 'PLANTED-CUSTOM-F']

async function server(role: string): Promise<string> {
  const s = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.setHeader('set-cookie', `sid=PLANTED-COOKIE-B-${role}; Path=/; HttpOnly`)
      res.setHeader('x-auth-token', `PLANTED-HEADER-C-${role}`)
      res.setHeader('x-org-ident', `PLANTED-CUSTOM-F-${role}`)
      if (req.url === '/login') {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ token: `PLANTED-TOKEN-A-${role}`, user: 'alice', role }))
      } else if (req.url === '/me') {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ profile: { hint: `${JWT}${role === 'new' ? 'x' : ''}`, ssn: `PLANTED-CUSTOM-E-${role}` }, role }))
      } else {
        res.setHeader('content-type', 'application/json')
        res.setHeader('content-encoding', 'gzip')
        res.end(gzipSync(JSON.stringify({ refresh_token: `PLANTED-GZ-D-${role}`, role })))
      }
    })
  })
  servers.push(s)
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`
}

beforeAll(async () => {
  const [oldUrl, newUrl] = [await server('old'), await server('new')]
  const ex = (seq: number, method: string, url: string) =>
    JSON.stringify({
      id: `s.${seq}`,
      session: 's',
      seq,
      host: '127.0.0.1',
      startedAt: '2026-12-01T00:00:00.000Z',
      request: { method, url, headers: [['content-type', 'application/json']], body: { text: '{"user":"alice","password":"[redacted]"}', size: 40 } },
      response: { status: 200, headers: [] },
    })
  writeFileSync(join(tmp, 'session.ndjson'), `${[ex(0, 'POST', '/login'), ex(1, 'GET', '/me'), ex(2, 'GET', '/export')].join('\n')}\n`)
  writeFileSync(join(tmp, 'app.js'), "const app = require('express')()\napp.post('/login', h)\napp.get('/me', h)\napp.get('/export', h)\n")
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ dependencies: { express: '^5.0.0' } }))
  writeFileSync(
    join(tmp, 'parity.config.yaml'),
    `systems:
  - { name: old, role: baseline, source: ., url: "${oldUrl}" }
  - { name: new, role: candidate, source: ., url: "${newUrl}" }
replay: { corpus: ./session.ndjson }
gates: [ported >= 0.5]
reports: { json: out/run.json, html: out/report.html, md: out/vault, junit: out/junit.xml }
history: ./history.sqlite
redact: { fields: [ssn], headers: [X-Org-Ident] }
`,
  )
  await new Promise<void>((resolve) =>
    execFile(
      process.execPath,
      [join(repo, 'bin/parity.js'), 'run'],
      { cwd: tmp, env: { ...process.env, CI: 'true', GITHUB_STEP_SUMMARY: '' }, timeout: 120_000 },
      () => resolve(),
    ),
  )
}, 180_000)
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  rmSync(tmp, { recursive: true, force: true })
})

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? files(p) : [p]
  })
}

it('writes the run, and no planted secret is in any file it wrote', () => {
  const written = files(tmp).filter((f) => !f.endsWith('session.ndjson'))
  expect(written.some((f) => f.endsWith('history.sqlite'))).toBe(true)
  expect(written.some((f) => f.endsWith('report.html'))).toBe(true)
  const run = JSON.parse(readFileSync(join(tmp, 'out/run.json'), 'utf8')) as { routes?: Array<{ differences: unknown[] }> }
  // The servers differ: evidence with differences was stored, so there was something to leak.
  expect(run.routes?.some((r) => r.differences.length > 0)).toBe(true)
  for (const file of written) {
    const bytes = readFileSync(file)
    for (const secret of PLANTED) expect(bytes.includes(secret), `${secret} in ${file.slice(tmp.length)}`).toBe(false)
  }
})
