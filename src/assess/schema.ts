/**
 * The database schema of each candidate against the baseline's, in figures: tables and columns
 * paired (and how), each column pair's type compatibility and nullability, foreign keys compared.
 * A pure function of the pairs.
 */
import type { TypeCompatibility } from '../model/column-type.js'
import type { CandidateCell, Pair, SchemaFigures } from '../model/run.js'

const COMPATIBILITIES: TypeCompatibility[] = ['same', 'widening', 'zone', 'narrowing', 'different', 'unknown']

/** The cell of a baseline pair in one candidate. */
function cellIn(pair: Pair, candidate: string, first: string): CandidateCell | undefined {
  if (pair.matrix) return pair.matrix[candidate]
  if (candidate !== first) return undefined
  const cell: CandidateCell = { status: pair.status, candidate: pair.candidate }
  if (pair.via) cell.via = pair.via
  if (pair.column) cell.column = pair.column
  return cell
}

/** By candidate name; undefined when the baseline has no table. */
export function schemaFigures(pairs: Pair[], candidateNames: string[]): Record<string, SchemaFigures> | undefined {
  if (!pairs.some((p) => p.kind === 'table' && p.baseline)) return undefined
  const first = candidateNames[0] ?? ''
  const out: Record<string, SchemaFigures> = {}
  for (const name of candidateNames) {
    const f: SchemaFigures = {
      tables: { baseline: 0, candidate: 0, paired: 0, byNaming: 0, byJoinTable: 0, missing: 0, extra: 0 },
      columns: {
        baseline: 0,
        candidate: 0,
        paired: 0,
        missing: 0,
        extra: 0,
        ...Object.fromEntries(COMPATIBILITIES.map((c) => [c, 0])),
      } as SchemaFigures['columns'],
      nullable: { paired: 0, differing: 0 },
      foreignKeys: { baseline: 0, candidate: 0, paired: 0, sameTarget: 0, sameOnDelete: 0, sameOnUpdate: 0, missing: 0 },
    }
    for (const p of pairs) {
      if (p.kind !== 'table' && p.kind !== 'column') continue
      if (!p.baseline) {
        if (p.candidateSystem !== name) continue
        if (p.kind === 'table') f.tables.extra++
        else {
          f.columns.extra++
          if (p.candidate?.kind === 'column' && p.candidate.references) f.foreignKeys.candidate++
        }
        if (p.kind === 'table') f.tables.candidate++
        else f.columns.candidate++
        continue
      }
      const cell = cellIn(p, name, first)
      if (!cell || cell.status === 'excluded') continue
      const present = cell.candidate !== null
      if (p.kind === 'table') {
        f.tables.baseline++
        if (!present) f.tables.missing++
        else {
          f.tables.paired++
          f.tables.candidate++
          if (cell.via === 'naming') f.tables.byNaming++
          if (cell.via === 'join-table') f.tables.byJoinTable++
        }
        continue
      }
      f.columns.baseline++
      const fkBase = p.baseline.kind === 'column' && p.baseline.references !== undefined
      if (fkBase) f.foreignKeys.baseline++
      if (!present) {
        f.columns.missing++
        if (fkBase) f.foreignKeys.missing++
        continue
      }
      f.columns.paired++
      f.columns.candidate++
      const cmp = cell.column
      if (cmp) {
        f.columns[cmp.compatibility]++
        f.nullable.paired++
        if (cmp.nullable) f.nullable.differing++
      } else f.columns.unknown++
      const fk = cmp?.foreignKey
      if (fk?.candidate) f.foreignKeys.candidate++
      if (fkBase && !fk?.candidate) f.foreignKeys.missing++
      if (fk?.baseline && fk.candidate) {
        f.foreignKeys.paired++
        if (fk.sameTarget) f.foreignKeys.sameTarget++
        if (fk.sameOnDelete) f.foreignKeys.sameOnDelete++
        if (fk.sameOnUpdate) f.foreignKeys.sameOnUpdate++
      }
    }
    out[name] = f
  }
  return out
}
