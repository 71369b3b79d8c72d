/**
 * Column types normalised across SQL dialects and ORMs, so that `VARCHAR(255)`, `String` (Prisma),
 * `varchar` (Drizzle) and `CharField` (Django) compare equal. Unknown types pass through lower-cased.
 */
const TYPES: Array<[RegExp, string]> = [
  [/^(big(int|serial)|int8|int64|i64|u64|bigautofield|biginteger(field)?)$/, 'bigint'],
  [/^(small(int|serial)|int2|int16|i16|u16|tinyint|smallintegerfield|positivesmallintegerfield)$/, 'smallint'],
  [/^(int|integer|int4|int32|i32|u32|serial|serial4|mediumint|autofield|integerfield|positiveintegerfield|number)$/, 'integer'],
  [/^(bool|boolean|booleanfield|nullbooleanfield|bit)$/, 'boolean'],
  [/^(real|float4|float|f32|floatfield|single)$/, 'real'],
  [/^(double( precision)?|float8|f64|double)$/, 'double'],
  [/^(numeric|decimal|money|decimalfield)$/, 'numeric'],
  [/^(varchar|character varying|nvarchar|varchar2|charfield|emailfield|slugfield|urlfield|string)$/, 'varchar'],
  [/^(char|character|nchar|bpchar)$/, 'char'],
  [/^(text|tinytext|mediumtext|longtext|clob|textfield|citext)$/, 'text'],
  [/^(uuid|uuidfield|uniqueidentifier)$/, 'uuid'],
  [/^(json|jsonb|jsonfield|simple-json)$/, 'json'],
  [/^(date|datefield)$/, 'date'],
  [/^(time|timetz|time with(out)? time zone|timefield)$/, 'time'],
  [/^(timestamp|timestamptz|datetime|datetime2|timestamp with(out)? time zone|datetimefield|instant|naivedatetime|datetimeutc|time\.time)$/, 'timestamp'],
  [/^(bytea|blob|binary|varbinary|longblob|bytes|binaryfield|vec<u8>|\[\]byte)$/, 'bytes'],
  [/^(interval|duration|durationfield)$/, 'interval'],
]

export function normalizeColumnType(raw: string): string {
  const t = raw
    .trim()
    .toLowerCase()
    .replace(/\(.*\)$/, '')
    .replace(/\s+/g, ' ')
    .replace(/\[\]$/, '[]')
    .trim()
  if (t.endsWith('[]') && t !== '[]byte') return `${normalizeColumnType(t.slice(0, -2))}[]`
  for (const [re, name] of TYPES) if (re.test(t)) return name
  return t
}

/** Spellings of one PostgreSQL/MySQL/SQLite type, to its PostgreSQL name. */
const ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  serial: 'integer',
  serial4: 'integer',
  int8: 'bigint',
  bigserial: 'bigint',
  serial8: 'bigint',
  int2: 'smallint',
  smallserial: 'smallint',
  serial2: 'smallint',
  bool: 'boolean',
  'character varying': 'varchar',
  character: 'char',
  bpchar: 'char',
  float8: 'double precision',
  double: 'double precision',
  doubleprecision: 'double precision',
  float4: 'real',
  decimal: 'numeric',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
}

/**
 * A column's database type in one spelling, keeping what tells values apart: `VARCHAR(255)` and
 * `character varying(255)` are `varchar(255)`, `TIMESTAMP WITH TIME ZONE` is `timestamptz`,
 * `BIGSERIAL` is `bigint`, `timestamp(3)` keeps its precision.
 */
export function databaseType(raw: string): string {
  const t = raw
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/, '(')
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*\)/, ')')
  if (t.endsWith('[]')) return `${databaseType(t.slice(0, -2))}[]`
  // `timestamp(3) with time zone`: the precision sits inside the name.
  const m = /^([a-z][a-z0-9 ]*?)(?:\(([^)]*)\))?( with(?:out)? time zone)?$/.exec(t)
  if (!m) return t
  const base = ALIASES[`${m[1]}${m[3] ?? ''}`] ?? ALIASES[m[1]!] ?? m[1]!
  return m[2] !== undefined ? `${base}(${m[2]})` : base
}

/**
 * How a candidate column's type holds the baseline's values: `same`; `widening` (every baseline
 * value fits: `integer` -> `bigint`, `varchar(n)` -> `text`); `zone` (`timestamp` against
 * `timestamptz`: the same instants only while the baseline writes UTC); `narrowing` (some baseline
 * values do not fit: `bigint` -> `integer`, `text` -> `varchar(n)`); `different` (another kind of
 * value); `unknown` (a side does not say).
 */
export type TypeCompatibility = 'same' | 'widening' | 'zone' | 'narrowing' | 'different' | 'unknown'

/** Integer and floating types by the values they hold: each holds every value of those before it (`bigint` in `double` is narrowing). */
const NUMBERS = ['smallint', 'integer', 'bigint']
const FLOATS = ['real', 'double precision']
const STRINGS = new Set(['char', 'varchar', 'text', 'citext'])

interface Parsed {
  base: string
  args: number[]
  array: boolean
}

function parse(type: string): Parsed {
  const array = type.endsWith('[]')
  const t = array ? type.slice(0, -2) : type
  const open = t.indexOf('(')
  if (open < 0) return { base: t, args: [], array }
  const args = t
    .slice(open + 1, -1)
    .split(',')
    .map((a) => Number(a))
  return { base: t.slice(0, open), args: args.every((a) => Number.isFinite(a)) ? args : [], array }
}

/** Compare two database types (as `databaseType` writes them). */
export function compareColumnTypes(baseline: string, candidate: string): TypeCompatibility {
  if (!baseline || !candidate || baseline === 'unknown' || candidate === 'unknown') return 'unknown'
  if (baseline === candidate) return 'same'
  const a = parse(baseline)
  const b = parse(candidate)
  if (a.array !== b.array) return 'different'
  const order = (list: string[]) => {
    const i = list.indexOf(a.base)
    const j = list.indexOf(b.base)
    return i < 0 || j < 0 ? undefined : i === j ? 'same' : i < j ? 'widening' : 'narrowing'
  }
  const byRank = order(NUMBERS) ?? order(FLOATS)
  if (byRank) return byRank
  // An integer fits in a double exactly up to 2^53: `integer` and `smallint` do, `bigint` does not.
  if (NUMBERS.includes(a.base) && FLOATS.includes(b.base)) return a.base === 'bigint' || b.base === 'real' ? 'narrowing' : 'widening'
  if (NUMBERS.includes(a.base) && b.base === 'numeric') return 'widening'
  if (STRINGS.has(a.base) && STRINGS.has(b.base)) return lengths(a, b)
  if (a.base === 'uuid' && STRINGS.has(b.base)) return b.args.length && b.args[0]! < 36 ? 'narrowing' : 'widening'
  if (isTimestamp(a.base) && isTimestamp(b.base)) {
    if (a.base.endsWith('tz') !== b.base.endsWith('tz')) return 'zone'
    return precision(a, b)
  }
  if (a.base === b.base) return a.base === 'numeric' ? numeric(a, b) : precision(a, b)
  // json and jsonb hold the same values (jsonb drops key order and duplicate keys, which no JSON reader keeps anyway).
  if ((a.base === 'json' || a.base === 'jsonb') && (b.base === 'json' || b.base === 'jsonb')) return 'widening'
  return 'different'
}

const isTimestamp = (base: string) => base === 'timestamp' || base === 'timestamptz' || base === 'datetime'

/** `varchar(n)` against `varchar(m)`, `char(n)`, `text` (no length: unbounded). */
function lengths(a: Parsed, b: Parsed): TypeCompatibility {
  const length = (p: Parsed) =>
    p.base === 'text' || p.base === 'citext' ? Number.POSITIVE_INFINITY : (p.args[0] ?? (p.base === 'char' ? 1 : Number.POSITIVE_INFINITY))
  const la = length(a)
  const lb = length(b)
  if (la === lb) return a.base === 'char' || b.base === 'char' ? (a.base === b.base ? 'same' : 'widening') : 'same'
  return la < lb ? 'widening' : 'narrowing'
}

/** Fractional seconds or any single precision: PostgreSQL's default is 6. */
function precision(a: Parsed, b: Parsed): TypeCompatibility {
  const pa = a.args[0] ?? 6
  const pb = b.args[0] ?? 6
  return pa === pb ? 'same' : pa < pb ? 'widening' : 'narrowing'
}

/** `numeric(p, s)`: unconstrained without arguments. */
function numeric(a: Parsed, b: Parsed): TypeCompatibility {
  if (!b.args.length) return a.args.length ? 'widening' : 'same'
  if (!a.args.length) return 'narrowing'
  const [pa = 0, sa = 0] = a.args
  const [pb = 0, sb = 0] = b.args
  if (pa === pb && sa === sb) return 'same'
  return sb >= sa && pb - sb >= pa - sa ? 'widening' : 'narrowing'
}
