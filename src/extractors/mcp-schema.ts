/** JSON Schemas that the MCP extractors build from code: an object of named properties. */

export interface PropertySchema {
  name: string
  schema: Record<string, unknown>
  required: boolean
}

/** `{ type: 'object', properties, required }`, `required` left out when empty (as the SDKs list it). */
export function objectSchema(props: PropertySchema[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {}
  for (const p of props) properties[p.name] = p.schema
  const required = props.filter((p) => p.required).map((p) => p.name)
  return required.length ? { type: 'object', properties, required } : { type: 'object', properties }
}

/** A docstring or doc comment with its common indentation and surrounding blank lines removed. */
export function cleanDoc(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const rest = lines.slice(1).filter((l) => l.trim())
  const indent = Math.min(...rest.map((l) => l.length - l.trimStart().length))
  const out = [lines[0]!.trim(), ...lines.slice(1).map((l) => (Number.isFinite(indent) ? l.slice(indent) : l).trimEnd())]
  return out.join('\n').trim()
}
