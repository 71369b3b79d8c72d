/**
 * TypeScript type coverage with the compiler API: the share of identifiers in the program's own
 * source files whose type is not `any` (written or implicit). TypeScript is loaded only when asked for.
 */
import { existsSync } from 'node:fs'
import { dirname, relative, sep } from 'node:path'
import type * as TS from 'typescript'
import { ParityError } from '../model/errors.js'

export interface TypeCoverage {
  /** Identifiers counted, and those typed `any`. */
  total: number
  any: number
  /** 1 − any/total (1 for a program without identifiers). */
  ratio: number
  files: number
  /** The first `any` identifiers, `src/a.ts:12 payload`, for the detail. */
  examples: string[]
}

async function loadTypeScript(): Promise<typeof TS> {
  try {
    const mod = (await import('typescript')) as typeof TS & { default?: typeof TS }
    return mod.default ?? mod
  } catch {
    throw new ParityError(
      'NO_TYPESCRIPT',
      'type coverage needs the `typescript` package, which is not installed',
      'install it beside parity (`npm install -D typescript`), or remove `scorecard.typeCoverage`',
    )
  }
}

/** Type coverage of the program a tsconfig.json describes; a missing or broken tsconfig is a ParityError. */
export async function measureTypeCoverage(tsconfig: string, label = tsconfig): Promise<TypeCoverage> {
  if (!existsSync(tsconfig))
    throw new ParityError(
      'NO_TSCONFIG',
      `${label}: no such tsconfig`,
      'point `scorecard.typeCoverage` at the project’s tsconfig.json (or `true` for the one in the source folder)',
    )
  const ts = await loadTypeScript()
  const read = ts.readConfigFile(tsconfig, (f) => ts.sys.readFile(f))
  if (read.error) {
    throw new ParityError(
      'BAD_TSCONFIG',
      `${label}: ${ts.flattenDiagnosticMessageText(read.error.messageText, ' ')}`,
      'fix the tsconfig so that `tsc -p` accepts it',
    )
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(tsconfig), undefined, tsconfig)
  if (!parsed.fileNames.length) {
    throw new ParityError(
      'BAD_TSCONFIG',
      `${label}: the tsconfig includes no source files`,
      'check its `include` and `files`, as `tsc -p --listFilesOnly` shows them',
    )
  }
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } })
  const checker = program.getTypeChecker()
  const root = dirname(tsconfig)
  let total = 0
  let any = 0
  let files = 0
  const examples: string[] = []
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.split('/').includes('node_modules') || sf.fileName.split(sep).includes('node_modules')) continue
    files++
    const visit = (node: TS.Node): void => {
      if (ts.isIdentifier(node)) {
        total++
        // The error type of an unresolved name carries the Any flag too: it is untyped all the same.
        if (checker.getTypeAtLocation(node).flags & ts.TypeFlags.Any) {
          any++
          if (examples.length < 5)
            examples.push(`${relative(root, sf.fileName).split(sep).join('/')}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1} ${node.text}`)
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(sf)
  }
  return { total, any, ratio: total ? 1 - any / total : 1, files, examples }
}
