/**
 * RSS and CPU of a system's whole process tree, sampled at 10 Hz from /proc (synchronous reads, no
 * spawn: 1 to 3 ms a sample, where `pidusage` spawns `ps` for 8 to 33 ms), `ps` elsewhere.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { hasProc, readProcStat, treePids } from './process-tree.js'
import type { ResourceSampler, ResourceStats } from './types.js'

export { treePids } from './process-tree.js'

export interface SampleOptions {
  /** Samples a second (default 10). */
  hz?: number
  /** Force a method (default `proc` where /proc exists). */
  method?: 'proc' | 'ps'
}

/** One reading of the tree. */
interface Reading {
  at: number
  rssBytes: number
  processes: number
  /** CPU percent of one core since the previous reading, when there was one. */
  cpuPercent?: number
}

let clockTicks: number | undefined
let pageSize: number | undefined

function getconf(name: string, fallback: number): number {
  try {
    const n = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim())
    return Number.isFinite(n) && n > 0 ? n : fallback
  } catch {
    return fallback
  }
}

/** Starts sampling the tree rooted at `rootPid`; the first reading is taken at once. */
export function sampleResources(rootPid: number, opts: SampleOptions = {}): ResourceSampler {
  const hz = opts.hz && opts.hz > 0 ? opts.hz : 10
  const method = opts.method ?? (hasProc ? 'proc' : 'ps')
  const read = method === 'proc' ? procReader(rootPid) : psReader(rootPid)
  let window: Reading[] = []
  let last: Reading | undefined
  let stopped = false

  const sample = () => {
    last = read()
    window.push(last)
  }
  sample()
  const timer = setInterval(sample, 1000 / hz)
  timer.unref()

  const close = (): ResourceStats => {
    if (!stopped) sample()
    const stats = summarise(window, method, last?.processes ?? 0)
    window = []
    return stats
  }
  return {
    mark: () => close(),
    stop() {
      const stats = close()
      stopped = true
      clearInterval(timer)
      return stats
    },
  }
}

/** Figures over one window; readings of an empty tree (it exited) count for nothing. */
function summarise(readings: Reading[], method: 'proc' | 'ps', processes: number): ResourceStats {
  const live = readings.filter((r) => r.processes > 0)
  const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10
  const cpu = live.flatMap((r) => (r.cpuPercent === undefined ? [] : [r.cpuPercent]))
  const round = (x: number) => Math.round(x * 10) / 10
  return {
    samples: live.length,
    rssPeakMb: mb(Math.max(0, ...live.map((r) => r.rssBytes))),
    rssMeanMb: mb(live.length ? live.reduce((s, r) => s + r.rssBytes, 0) / live.length : 0),
    cpuMeanPercent: round(cpu.length ? cpu.reduce((s, x) => s + x, 0) / cpu.length : 0),
    cpuPeakPercent: round(Math.max(0, ...cpu)),
    processes,
    method,
  }
}

/**
 * Reads the tree from /proc: utime+stime of /proc/<pid>/stat, resident pages of /proc/<pid>/statm.
 * A process is known by pid and start time; one that vanished drops out of the CPU delta.
 */
function procReader(rootPid: number): () => Reading {
  clockTicks ??= getconf('CLK_TCK', 100)
  pageSize ??= getconf('PAGESIZE', 4096)
  const ticksPerSec = clockTicks
  const page = pageSize
  let prev: Map<string, number> | undefined
  let prevAt = 0
  return () => {
    const at = performance.now()
    const ticks = new Map<string, number>()
    let rssBytes = 0
    let delta = 0
    for (const pid of treePids(rootPid)) {
      const stat = readProcStat(pid)
      if (!stat || stat.state === 'Z') continue
      let statm: string
      try {
        statm = readFileSync(`/proc/${pid}/statm`, 'latin1')
      } catch {
        continue
      }
      rssBytes += Number(statm.split(' ')[1] ?? 0) * page
      const key = `${pid}:${stat.startTime}`
      ticks.set(key, stat.ticks)
      // A process born since the previous reading spent all its ticks within the interval.
      if (prev) delta += stat.ticks - (prev.get(key) ?? 0)
    }
    const reading: Reading = { at, rssBytes, processes: ticks.size }
    if (prev && at > prevAt) reading.cpuPercent = (delta / ticksPerSec / ((at - prevAt) / 1000)) * 100
    prev = ticks
    prevAt = at
    return reading
  }
}

/** The portable fallback: `ps -o rss=,pcpu=` for the tree (costs a spawn per sample). */
function psReader(rootPid: number): () => Reading {
  return () => {
    const at = performance.now()
    const pids = treePids(rootPid)
    if (pids.length === 0) return { at, rssBytes: 0, processes: 0 }
    let text = ''
    try {
      text = execFileSync('ps', ['-o', 'rss=,pcpu=', '-p', pids.join(',')], { encoding: 'utf8' })
    } catch {
      return { at, rssBytes: 0, processes: 0 }
    }
    let rssKb = 0
    let cpu = 0
    let processes = 0
    for (const line of text.split('\n')) {
      const [rss, pcpu] = line.trim().split(/\s+/)
      if (!rss) continue
      rssKb += Number(rss) || 0
      cpu += Number(pcpu) || 0
      processes++
    }
    return { at, rssBytes: rssKb * 1024, processes, cpuPercent: cpu }
  }
}
