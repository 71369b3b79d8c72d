/**
 * Runs stages of the list in order into one RunResult: all that the config enables (`parity run`),
 * or the stages a command names with the enabled stages they need. The systems started for replay
 * and e2e are stopped after the last stage that uses them, before the bench starts its own, and
 * always, even when a stage fails.
 */
import { dirname } from 'node:path'
import type { ResolvedConfig } from '../config/load.js'
import type { RunResult } from '../model/run.js'
import { emptyRun } from '../model/empty-run.js'
import type { PipelineEvents, Stage, StageId, StageOptions } from './stage.js'
import { STAGES } from './stages.js'
import { sharedSystems } from './systems.js'

export interface PipelineInput {
  config: ResolvedConfig
  /** The stages a single-stage command asks for (their needs are added); every enabled stage when absent. */
  only?: StageId[]
  events?: PipelineEvents
  options?: StageOptions
}

/** The stages that run, in the list's order. A stage asked for by name runs even if the config does not enable it (its own diagnostics say what is missing). */
export function plannedStages(config: ResolvedConfig, only?: StageId[]): Stage[] {
  if (!only) return STAGES.filter((s) => s.enabled(config))
  const wanted = new Set<StageId>(only)
  // Needs are added when the config enables them, transitively (list order runs them before).
  for (const stage of [...STAGES].reverse()) {
    if (!wanted.has(stage.id)) continue
    for (const need of stage.needs ?? []) {
      const needed = STAGES.find((s) => s.id === need)
      if (needed && (needed.id === 'scan' || needed.enabled(config))) wanted.add(need)
    }
  }
  return STAGES.filter((s) => wanted.has(s.id))
}

export async function runPipeline(input: PipelineInput): Promise<RunResult> {
  const { config } = input
  const events = input.events ?? {}
  const stages = plannedStages(config, input.only)
  const systems = sharedSystems(config)
  const lastUser = stages.map((s) => !!s.usesSystems).lastIndexOf(true)
  const ctx = { config, cwd: dirname(config.file), events, options: input.options ?? {}, systems }
  let run: RunResult = emptyRun()
  let released = false
  const release = async () => {
    released = true
    const diagnostics = await systems.release()
    if (diagnostics.length) run = { ...run, diagnostics: [...run.diagnostics, ...diagnostics] }
  }
  try {
    for (const [i, stage] of stages.entries()) {
      if (!stage.quiet) events.onStage?.(stage.id, stage.title)
      run = await stage.run(run, ctx)
      if (i === lastUser) await release()
    }
  } finally {
    if (!released) await systems.release()
  }
  return run
}
