/** Ports: a free one for a system to use, and who holds one that is taken. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import { hasProc } from './process-tree.js'

/** A port that was free a moment ago: listen on 127.0.0.1:0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Whether something already listens on the port (on 127.0.0.1 or on every address). */
export function isPortInUse(port: number): Promise<boolean> {
  if (hasProc && listeningInodes(port).length > 0) return Promise.resolve(true)
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE' || e.code === 'EACCES'))
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(false)))
  })
}

/** Socket inodes listening on the port, from /proc/net/tcp and tcp6 (state 0A is LISTEN). */
function listeningInodes(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  const out: string[] = []
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(file, 'latin1')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      const local = f[1]
      if (!local || f[3] !== '0A') continue
      if (local.slice(local.lastIndexOf(':') + 1) === hexPort && f[9]) out.push(f[9])
    }
  }
  return out
}

/**
 * `"<pid> <command>"` of the process listening on the port, found through the socket's inode in
 * /proc/net/tcp and /proc/<pid>/fd (Linux); undefined when unknown (another user's process, or no /proc).
 */
export function portOwner(port: number): string | undefined {
  if (!hasProc) return undefined
  const inodes = new Set(listeningInodes(port).map((i) => `socket:[${i}]`))
  if (inodes.size === 0) return undefined
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0)
    if (c < 48 || c > 57) continue
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${name}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      let target: string
      try {
        target = readlinkSync(`/proc/${name}/fd/${fd}`)
      } catch {
        continue
      }
      if (inodes.has(target)) return `${name} ${commandLine(Number(name))}`.trim()
    }
  }
  return undefined
}

function commandLine(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ')
    if (argv) return argv.length > 120 ? `${argv.slice(0, 117)}...` : argv
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return ''
  }
}
