/** A YAML single-quoted scalar (the only escape: `'` doubled). */
export function yamlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`
}
