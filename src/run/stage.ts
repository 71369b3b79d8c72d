/**
 * The shape of a stage of the pipeline: what it is called, when the config enables it, what it needs
 * before it, and how it adds its evidence to the RunResult. Every command that runs a stage (`parity
 * run`, `plan`, `bench`, `features`, `scorecard`, `mcp` and `replay` with a config) goes through
 * `runPipeline`, so a stage answers the same from each of them.
 */
import type { BenchEvent } from '../bench/runner.js'
import type { ResolvedConfig } from '../config/load.js'
import type { RunResult } from '../model/run.js'
import type { SharedSystems } from './systems.js'

export type StageId = 'scan' | 'runtime' | 'replay' | 'e2e' | 'mcp' | 'mcp-bench' | 'bench' | 'scorecard' | 'plan' | 'features' | 'status' | 'git'

/** What a stage reports while it runs: the terminal's stage line and the dashboard's live view listen. */
export interface PipelineEvents {
  /** A stage starts; `title` is what a person reads (`scanning`, `old e2e suite`). */
  onStage?: (id: StageId, title: string) => void
  /** Progress within the stage: files scanned, exchanges replayed. */
  onProgress?: (done: number, total: number, unit: string) => void
  /** The system being scanned. */
  onSystem?: (name: string) => void
  /** Bench trials (a line per trial on a terminal). */
  onBenchEvent?: (e: BenchEvent) => void
}

/** Options a single-stage command adds to its stage (its flags). */
export interface StageOptions {
  /** `parity plan --rules`: a language rules file replacing the config's and the defaults. */
  planRules?: string
  /** `parity features --propose`: propose features even when the config has some. */
  proposeFeatures?: boolean
}

export interface StageContext {
  config: ResolvedConfig
  /** The config's folder: commands (resetCommand, the e2e suite) run there. */
  cwd: string
  events: PipelineEvents
  options: StageOptions
  /** The systems parity started for the replay and e2e stages, shared by both and stopped after the last. */
  systems: SharedSystems
}

export interface Stage {
  id: StageId
  /** What the stage line and the live view show while it runs. */
  title: string
  /** Whether `parity run` runs it with this config. */
  enabled: (config: ResolvedConfig) => boolean
  /** Not announced to the stage line or the live view: it takes no time a person would wait for. */
  quiet?: boolean
  /** Stages whose evidence this one reads: run first when the config enables them. */
  needs?: StageId[]
  /** The stage reaches systems through `ctx.systems` (they stay up until the last such stage ends). */
  usesSystems?: boolean
  /** Adds the stage's evidence to the run (the run it is given, or a copy) and returns it. */
  run: (run: RunResult, ctx: StageContext) => Promise<RunResult> | RunResult
}
