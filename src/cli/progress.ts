/** A progress bar on stderr: drawn only on a TTY outside CI, only once the work has taken a second. */
export function createProgress(label: string, write: (t: string) => void, enabled: boolean, now: () => number = Date.now) {
  const started = now()
  let last = 0
  let drawn = false
  return {
    update(done: number, total: number) {
      if (!enabled) return
      const t = now()
      if (t - started < 1000 || (t - last < 100 && done < total)) return
      last = t
      drawn = true
      const width = 30
      const filled = total ? Math.round((done / total) * width) : 0
      write(`\r${label} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total} files`)
    },
    done() {
      if (drawn) write('\r\x1b[2K')
    },
  }
}
