/**
 * Process trees read straight from /proc on Linux (no spawn: a sample must cost 1 to 3 ms), with a
 * `ps` fallback elsewhere.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/** The fields of /proc/<pid>/stat that parity uses. */
export interface ProcStat {
  pid: number
  state: string
  ppid: number
  pgrp: number
  session: number
  /** User + system CPU time, in clock ticks. */
  ticks: number
  /** Start time after boot, in clock ticks: with the pid, identifies a process across pid reuse. */
  startTime: number
}

export const hasProc = process.platform === 'linux' && canRead('/proc/self/stat')

function canRead(path: string): boolean {
  try {
    readFileSync(path)
    return true
  } catch {
    return false
  }
}

/** Parses /proc/<pid>/stat; undefined when the process is gone. */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1')
  } catch {
    return undefined
  }
  return parseProcStat(pid, text)
}

/** The command name may hold spaces and parentheses, so fields are counted from the last `)`. */
export function parseProcStat(pid: number, text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')')
  if (close < 0) return undefined
  const f = text.slice(close + 2).split(' ')
  // f[0] is field 3 (state) of proc(5).
  const num = (i: number): number => Number(f[i] ?? NaN)
  const stat: ProcStat = {
    pid,
    state: f[0] ?? '?',
    ppid: num(1),
    pgrp: num(2),
    session: num(3),
    ticks: num(11) + num(12),
    startTime: num(19),
  }
  return Number.isFinite(stat.ppid) ? stat : undefined
}

/** Every process on the machine, from one pass over /proc. */
export function readAllStats(): ProcStat[] {
  const out: ProcStat[] = []
  let names: string[]
  try {
    names = readdirSync('/proc')
  } catch {
    return out
  }
  for (const name of names) {
    const c = name.charCodeAt(0)
    if (c < 48 || c > 57) continue
    const stat = readProcStat(Number(name))
    if (stat) out.push(stat)
  }
  return out
}

/** Children files exist only with CONFIG_PROC_CHILDREN; probed once. */
let childrenFiles: boolean | undefined

function childrenFromTasks(pid: number): number[] | undefined {
  let tasks: string[]
  try {
    tasks = readdirSync(`/proc/${pid}/task`)
  } catch {
    return []
  }
  const out: number[] = []
  for (const tid of tasks) {
    let text: string
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && childrenFiles === undefined) return undefined
      continue
    }
    childrenFiles = true
    for (const part of text.split(' ')) if (part) out.push(Number(part))
  }
  return out
}

/**
 * The process and all its descendants (the process first), via /proc on Linux and
 * `ps -A -o pid=,ppid=` elsewhere. Empty when the process is gone.
 */
export function treePids(pid: number): number[] {
  if (!hasProc) return treePidsPs(pid)
  if (!readProcStat(pid)) return []
  if (childrenFiles !== false) {
    const out: number[] = [pid]
    let ok = true
    for (let i = 0; i < out.length; i++) {
      const kids = childrenFromTasks(out[i] as number)
      if (!kids) {
        ok = false
        childrenFiles = false
        break
      }
      for (const k of kids) if (!out.includes(k)) out.push(k)
    }
    if (ok) return out
  }
  return descendants([pid], readAllStats())
}

/** The roots and every descendant of them in a process table. */
export function descendants(roots: number[], table: Array<{ pid: number; ppid: number }>): number[] {
  const byParent = new Map<number, number[]>()
  for (const p of table) {
    const list = byParent.get(p.ppid)
    if (list) list.push(p.pid)
    else byParent.set(p.ppid, [p.pid])
  }
  const alive = new Set(table.map((p) => p.pid))
  const out = [...new Set(roots)].filter((r) => alive.has(r))
  const seen = new Set(out)
  for (let i = 0; i < out.length; i++) {
    for (const k of byParent.get(out[i] as number) ?? []) {
      if (!seen.has(k)) {
        seen.add(k)
        out.push(k)
      }
    }
  }
  return out
}

function treePidsPs(pid: number): number[] {
  let text: string
  try {
    text = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' })
  } catch {
    return []
  }
  const table: Array<{ pid: number; ppid: number }> = []
  for (const line of text.split('\n')) {
    const [a, b] = line.trim().split(/\s+/)
    if (a && b) table.push({ pid: Number(a), ppid: Number(b) })
  }
  return descendants([pid], table)
}

/** The environment variable that marks every process of a tree parity started (children inherit it). */
export const TREE_MARK = 'PARITY_TREE'

/** A fresh value for TREE_MARK: unique per started tree. */
export function newTreeMark(): string {
  return `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
}

/**
 * Processes whose environment holds `PARITY_TREE=<mark>`: what a tree started, even a child that
 * left its group and session (`setsid`, `detached: true`) and whose parent is gone. Linux only.
 */
export function markedPids(mark: string): number[] {
  if (!hasProc) return []
  const needle = Buffer.from(`\0${TREE_MARK}=${mark}\0`)
  const first = Buffer.from(`${TREE_MARK}=${mark}\0`)
  const out: number[] = []
  let names: string[]
  try {
    names = readdirSync('/proc')
  } catch {
    return []
  }
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue
    try {
      const env = readFileSync(`/proc/${name}/environ`)
      if (env.includes(needle) || env.subarray(0, first.length).equals(first)) out.push(Number(name))
    } catch {
      // Gone, or another user's.
    }
  }
  return out
}

/**
 * Everything that belongs to a system whose leader is `leader`: its descendants, and every process
 * in its process group or session (those outlive a dead leader, reparented to init), with their
 * descendants (a child that moved to a group of its own); with `mark`, every process carrying it.
 */
export function systemPids(leader: number, known: readonly number[] = [], mark?: string): number[] {
  if (mark) known = [...known, ...markedPids(mark)]
  if (!hasProc) return [...new Set([...treePids(leader), ...known.flatMap((p) => treePids(p))])]
  const table = readAllStats()
  const roots = [leader, ...known]
  for (const p of table) {
    if (p.pid !== leader && (p.pgrp === leader || p.session === leader)) roots.push(p.pid)
  }
  return descendants(roots, table)
}

/** A process as identified by pid and start time (pid reuse cannot fool a liveness check). */
export interface ProcessRef {
  pid: number
  startTime?: number
  pgrp?: number
}

export function processRef(pid: number): ProcessRef {
  const s = hasProc ? readProcStat(pid) : undefined
  return s ? { pid, startTime: s.startTime, pgrp: s.pgrp } : { pid }
}

/** Whether the process still runs: a zombie counts as gone (it holds no port and no memory). */
export function isRunning(ref: ProcessRef | number): boolean {
  const r = typeof ref === 'number' ? { pid: ref } : ref
  if (hasProc) {
    const s = readProcStat(r.pid)
    if (!s || s.state === 'Z' || s.state === 'X') return false
    return r.startTime === undefined || s.startTime === r.startTime
  }
  try {
    process.kill(r.pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}
