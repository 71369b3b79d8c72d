/**
 * The gateways themselves: finding their binaries, their own validators (`nginx -t`, `caddy
 * validate`, `envoy --mode validate`), and nginx started for real in the foreground for the check.
 */
import { spawnSync } from 'node:child_process'
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { ParityError } from '../model/errors.js'
import type { StartedSystem } from '../systems/types.js'
import type { CutoverFormat } from './types.js'

const BINARIES: Record<CutoverFormat, { bin: string; package: string }> = {
  nginx: { bin: 'nginx', package: 'nginx (or nginx-light)' },
  caddy: { bin: 'caddy', package: 'caddy' },
  envoy: { bin: 'envoy', package: "envoy (from Envoy's own apt repository)" },
  traefik: { bin: 'traefik', package: 'traefik (a release binary from traefik.io)' },
}

/**
 * The binary named by `PARITY_<NAME>` (`PARITY_NGINX=/opt/nginx/sbin/nginx`) when set, else the one on
 * PATH or in the sbin folders Debian installs daemons to (not on a user's PATH).
 */
export function findBinary(name: string): string | undefined {
  const override = process.env[`PARITY_${name.toUpperCase()}`]
  if (override) {
    try {
      accessSync(override, constants.X_OK)
      return override
    } catch {
      return undefined
    }
  }
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin']
  for (const dir of dirs.filter(Boolean)) {
    const file = join(dir, name)
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {}
  }
  return undefined
}

export interface Validation {
  format: CutoverFormat
  /** The command run, or absent when the validator is not installed (or there is none). */
  command?: string
  ok?: boolean
  /** The validator's output, or why it was skipped. */
  message: string
}

/** Run the gateway's own validator on a config file; not installed is a skip with the package to install. */
export function validateConfig(format: CutoverFormat, file: string, workDir: string): Validation {
  if (format === 'traefik') return { format, message: 'Traefik has no offline validator for dynamic configuration: not validated' }
  const { bin, package: pkg } = BINARIES[format]
  const path = findBinary(bin)
  if (!path) return { format, message: `${bin} is not installed: not validated (the Debian package is ${pkg})` }
  mkdirSync(workDir, { recursive: true })
  const args =
    format === 'nginx'
      ? ['-t', '-q', '-p', workDir, '-e', 'stderr', '-c', file]
      : format === 'caddy'
        ? ['validate', '--config', file, '--adapter', 'caddyfile']
        : ['--mode', 'validate', '-c', file]
  const r = spawnSync(path, args, { encoding: 'utf8', timeout: 60_000, cwd: workDir })
  const message = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() || (r.error ? r.error.message : '')
  return { format, command: `${bin} ${args.join(' ')}`, ok: r.status === 0, message }
}

/** The nginx binary, or a clear error naming the Debian package. */
export function requireNginx(): string {
  const path = findBinary('nginx')
  if (!path) {
    throw new ParityError(
      'GATEWAY_MISSING',
      `nginx is not installed${process.env.PARITY_NGINX ? ` at ${process.env.PARITY_NGINX} (PARITY_NGINX)` : ''}: \`parity cutover --check\` runs the generated config with it`,
      'install the Debian package `nginx` (`apt-get install nginx`, or `nginx-light`)',
    )
  }
  return path
}

/** Start nginx in the foreground on `port` with `config` (rendered with this `dir` as its runtime folder). */
export async function startNginx(config: string, dir: string, port: number): Promise<StartedSystem> {
  const bin = requireNginx()
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'nginx.conf')
  writeFileSync(file, config)
  const check = validateConfig('nginx', file, dir)
  if (!check.ok)
    throw new ParityError(
      'GATEWAY_INVALID',
      `nginx refused the generated config: ${check.message}`,
      'this is a bug in parity cutover; report it with the config',
    )
  const { startSystem } = await import('../systems/supervisor.js')
  return startSystem({
    name: 'nginx',
    command: [bin, '-p', dir, '-e', 'stderr', '-c', file],
    cwd: dir,
    port,
    url: `http://127.0.0.1:${port}`,
    ready: { tcp: true },
    readyTimeoutMs: 15_000,
    logFile: join(dir, 'nginx.log'),
  })
}
