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
