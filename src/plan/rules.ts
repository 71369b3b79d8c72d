/**
 * Target-language rules: the default set (language-rules.json) or a file that replaces it, checked
 * against the capability catalog, and the first rule that matches a component.
 */
import { readFileSync } from 'node:fs'
import picomatch from 'picomatch'
import { parse } from 'yaml'
import { capabilityCatalog } from '../capabilities/catalog.js'
import { ParityError } from '../model/errors.js'
import defaults from './language-rules.json' with { type: 'json' }
import type { LanguageSuggestion } from '../model/plan.js'

export interface LanguageRule {
  id: string
  language: LanguageSuggestion['language']
  /** Any listed condition matches; an empty `when` matches every component. */
  when: {
    /** Catalog capability ids or categories. */
    capabilities?: string[]
    /** Globs over imported package names. */
    packages?: string[]
    /** Endpoint frameworks. */
    frameworks?: string[]
  }
  reason: string
}

/** What a rule looks at in a component. */
export interface RuleFacts {
  capabilities: Array<{ id: string; category?: string }>
  packages: string[]
  frameworks: string[]
}

const LANGUAGES: ReadonlyArray<LanguageSuggestion['language']> = ['rust', 'go', 'typescript', 'python', 'keep']

/** The default rule set, validated. */
export function defaultLanguageRules(): LanguageRule[] {
  return validateRules((defaults as { rules: unknown }).rules, 'src/plan/language-rules.json')
}

/** A rules file (YAML or JSON: `{ rules: [...] }` or a list), validated; problems are one ParityError. */
export function readLanguageRules(file: string): LanguageRule[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new ParityError(
      'PLAN_RULES_NOT_FOUND',
      `cannot read the language rules ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'pass a YAML or JSON rules file (`rules: [{ id, language, when, reason }]`), or drop `plan.rules` to use the defaults',
    )
  }
  let data: unknown
  try {
    data = parse(text)
  } catch (e) {
    throw new ParityError(
      'PLAN_RULES_INVALID',
      `${file} is not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`,
      'fix the syntax; the shape is `rules: [{ id, language, when, reason }]`',
    )
  }
  const list = Array.isArray(data) ? data : data && typeof data === 'object' ? (data as { rules?: unknown }).rules : undefined
  return validateRules(list, file)
}

function validateRules(list: unknown, file: string): LanguageRule[] {
  const problems: string[] = []
  if (!Array.isArray(list) || list.length === 0) {
    throw new ParityError('PLAN_RULES_INVALID', `${file} has no rules`, 'write `rules:` with a list of `{ id, language, when, reason }`')
  }
  const ids = new Set(capabilityCatalog.map((c) => c.id))
  const categories = new Set(capabilityCatalog.map((c) => c.category))
  const unknown: string[] = []
  const rules: LanguageRule[] = []
  const seen = new Set<string>()
  list.forEach((raw: unknown, i) => {
    const at = `rule ${i + 1}`
    if (!raw || typeof raw !== 'object') {
      problems.push(`${at} is not an object`)
      return
    }
    const r = raw as Record<string, unknown>
    const id = typeof r.id === 'string' && r.id.trim() ? r.id : undefined
    if (!id) problems.push(`${at} has no \`id\``)
    else if (seen.has(id)) problems.push(`${at}: id \`${id}\` is used twice`)
    else seen.add(id)
    const name = id ? `rule \`${id}\`` : at
    if (!LANGUAGES.includes(r.language as LanguageRule['language']))
      problems.push(`${name}: language \`${String(r.language)}\` is not one of ${LANGUAGES.join(', ')}`)
    if (typeof r.reason !== 'string' || !r.reason.trim()) problems.push(`${name} has no \`reason\``)
    const when = (r.when ?? {}) as Record<string, unknown>
    if (typeof when !== 'object' || Array.isArray(when)) {
      problems.push(`${name}: \`when\` must be an object with capabilities, packages or frameworks`)
      return
    }
    for (const key of Object.keys(when)) {
      if (key !== 'capabilities' && key !== 'packages' && key !== 'frameworks')
        problems.push(`${name}: unknown condition \`when.${key}\` (use capabilities, packages, frameworks)`)
      else if (!Array.isArray(when[key]) || !(when[key] as unknown[]).every((v) => typeof v === 'string'))
        problems.push(`${name}: \`when.${key}\` must be a list of strings`)
    }
    for (const c of Array.isArray(when.capabilities) ? (when.capabilities as string[]) : []) {
      if (!ids.has(c) && !categories.has(c)) unknown.push(`${name}: unknown capability \`${c}\``)
    }
    if (id) rules.push({ id, language: r.language as LanguageRule['language'], when: when as LanguageRule['when'], reason: String(r.reason ?? '') })
  })
  if (unknown.length) {
    throw new ParityError(
      'PLAN_RULES_INVALID',
      `${file}: ${[...unknown, ...problems].join('; ')}`,
      `use a catalog id (${[...ids].join(', ')}) or a category (${[...categories].join(', ')})`,
    )
  }
  if (problems.length)
    throw new ParityError(
      'PLAN_RULES_INVALID',
      `${file}: ${problems.join('; ')}`,
      'each rule is `{ id, language, when: { capabilities, packages, frameworks }, reason }`',
    )
  return rules
}

const globs = new WeakMap<LanguageRule, (name: string) => boolean>()

/**
 * The first rule that matches, with what made it match. With `allowed`, a rule whose language is not
 * allowed is passed over (and named in `passedOver` when it matched); `keep` is always allowed.
 */
export function suggestLanguage(
  rules: readonly LanguageRule[],
  facts: RuleFacts,
  allowed?: (language: LanguageRule['language']) => boolean,
): LanguageSuggestion | undefined {
  const passedOver: string[] = []
  for (const rule of rules) {
    const hits = ruleHits(rule, facts)
    if (!hits) continue
    if (allowed && rule.language !== 'keep' && !allowed(rule.language)) {
      passedOver.push(`${rule.id} (${rule.language})`)
      continue
    }
    return {
      language: rule.language,
      rule: hits.length ? `${rule.id}: ${hits.join(', ')}` : rule.id,
      reason: rule.reason,
      ...(passedOver.length ? { passedOver } : {}),
    }
  }
  return undefined
}

/** What made a rule match (empty for a rule without conditions), or undefined when it does not. */
function ruleHits(rule: LanguageRule, facts: RuleFacts): string[] | undefined {
  const { capabilities = [], packages = [], frameworks = [] } = rule.when
  if (!capabilities.length && !packages.length && !frameworks.length) return []
  const hits: string[] = []
  for (const c of facts.capabilities) if (capabilities.includes(c.id) || (c.category && capabilities.includes(c.category))) hits.push(c.id)
  if (packages.length) {
    let m = globs.get(rule)
    if (!m) globs.set(rule, (m = picomatch(packages)))
    for (const p of facts.packages) if (m(p)) hits.push(p)
  }
  for (const f of facts.frameworks) if (frameworks.includes(f)) hits.push(f)
  return hits.length ? [...new Set(hits)] : undefined
}
