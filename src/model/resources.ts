/** What a running system costs: its cold starts and its process tree's memory and CPU (part of the RunResult). */

/** Repeated cold starts, as hyperfine reports them. Times in ms. */
export interface StartupStats {
  runs: number
  warmup: number
  median: number
  mean: number
  stddev: number
  min: number
  max: number
  /** Indexes (into `times`) of runs outside median ± 3·MAD·1.4826 (hyperfine's rule of thumb). */
  outliers: number[]
  times: number[]
}

/** Resource use of a process tree over a window, sampled from /proc at 10 Hz. */
export interface ResourceStats {
  samples: number
  /** Resident set size of the whole tree, MiB. */
  rssPeakMb: number
  rssMeanMb: number
  /** CPU of the whole tree, percent of one core (200 = two cores busy). */
  cpuMeanPercent: number
  cpuPeakPercent: number
  /** Processes in the tree at the last sample. */
  processes: number
  /** `proc` on Linux, `ps` elsewhere. */
  method: 'proc' | 'ps'
}
