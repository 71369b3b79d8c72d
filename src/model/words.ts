/** Numbers in words, the same in every message, report and terminal line: `1 service`, `2 services`, `588 ms`, `1.1 s`. */

/** `1 service`, `2 services`; `plural(1, 'entry', 'entries')`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}

/** Seconds or milliseconds, rounded to what they are worth: `589 ms`, `1.1 s`, `1 s`, `2 m 40 s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${+(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`
}

const LANGUAGE_NAMES: Record<string, string> = { typescript: 'TypeScript', javascript: 'JavaScript', rust: 'Rust', go: 'Go', python: 'Python' }

/** A language as people write it: `rust` is Rust, `typescript` TypeScript. */
export function languageName(language: string): string {
  return LANGUAGE_NAMES[language] ?? language
}
