/**
 * The plan stage: `parity plan` and `parity run` call it with the diffed run and the config. The
 * replay corpus, when the config has one, gives the traffic per route; a corpus that cannot be read
 * is a run diagnostic and the plan is made without traffic.
 */
import { statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { coverageByFile } from '../scorecard/coverage.js'
import type { ResolvedConfig } from '../config/load.js'
import { isParityError } from '../model/errors.js'
import { isEndpoint } from '../model/inventory.js'
import type { RunResult } from '../model/run.js'
import { readCorpus } from '../verify/corpus.js'
import { planMigration, type PlanOptions } from './rank.js'
import { readLanguageRules } from './rules.js'
import { trafficByRoute } from './traffic.js'

export interface PlanStageOptions {
  /** A rules file replacing the config's `plan.rules` and the defaults (`parity plan --rules`). */
  rulesFile?: string
  /** Line coverage (0..1) of the baseline's files, by path relative to its source folder. */
  coverageByFile?: Map<string, number>
}

export function runPlanStage(run: RunResult, config: ResolvedConfig, options: PlanStageOptions = {}): RunResult {
  const rulesFile = options.rulesFile ?? config.plan?.rules
  // The baseline's coverage, read here: `parity plan` and `parity run` rank with the same factors.
  const coverage = options.coverageByFile ?? baselineCoverage(config)
  const planOptions: PlanOptions = {
    ...(config.plan?.weights ? { weights: config.plan.weights } : {}),
    ...(config.plan?.targets ? { targets: config.plan.targets } : {}),
    ...(rulesFile ? { rules: readLanguageRules(rulesFile) } : {}),
    ...(coverage ? { coverageByFile: coverage } : {}),
  }
  if (isFolder(config.baseline.sourcePath)) planOptions.sourceRoot = config.baseline.sourcePath
  const diagnostics = [...run.diagnostics]
  if (config.replay?.corpus) {
    try {
      const corpus = readCorpus(config.replay.corpus, config.replay.origin ? { origin: config.replay.origin } : {})
      const keys = run.pairs.flatMap((p) => (p.baseline && isEndpoint(p.baseline) ? [p.baseline.key] : []))
      planOptions.traffic = trafficByRoute(corpus.exchanges, keys)
    } catch (e) {
      if (!isParityError(e)) throw e
      diagnostics.push({
        level: 'warn',
        code: 'PLAN_NO_TRAFFIC',
        message: `plan: the replay corpus could not be read (${e.message}); traffic is left out of the priorities`,
      })
    }
  }
  return { ...run, diagnostics, plan: planMigration(run, planOptions) }
}

/** Line coverage per file of the baseline, when its scorecard names a coverage report that reads (the scorecard names the problem when it does not). */
function baselineCoverage(config: ResolvedConfig): Map<string, number> | undefined {
  const file = config.baseline.scorecard?.coverage
  if (!file) return undefined
  try {
    return coverageByFile(resolve(dirname(config.file), file), config.baseline.sourcePath)
  } catch {
    return undefined
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
