import { expect, it } from 'vitest'
import type { ColumnItem, Diagnostic } from '../model/inventory.js'
import { readPrismaSchema } from './prisma.js'
import { SchemaState, type SchemaStep } from './schema.js'
import { readSqlMigration } from './sql.js'

/** `table.column -> target ON DELETE x ON UPDATE y @line` for every column with a foreign key. */
function keysOf(steps: SchemaStep[]): string[] {
  const state = new SchemaState()
  for (const s of steps) state.apply(s)
  return state
    .items()
    .filter((i): i is ColumnItem => i.kind === 'column' && !!i.references)
    .map(
      (c) =>
        `${c.table}.${c.name} -> ${c.references!.table}.${c.references!.column} ON DELETE ${c.references!.onDelete} ON UPDATE ${c.references!.onUpdate} @${c.references!.source.line}`,
    )
}

it('reads foreign keys from SQL: inline REFERENCES, FOREIGN KEY and ALTER TABLE ADD CONSTRAINT', () => {
  const diagnostics: Diagnostic[] = []
  const sql = [
    'CREATE TABLE users (id BIGSERIAL PRIMARY KEY);',
    'CREATE TABLE posts (',
    '  id BIGSERIAL PRIMARY KEY,',
    '  author_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,',
    '  editor_id BIGINT,',
    '  reviewer_id BIGINT,',
    '  FOREIGN KEY (editor_id) REFERENCES users (id) ON UPDATE CASCADE ON DELETE SET NULL',
    ');',
    'ALTER TABLE posts ADD CONSTRAINT posts_reviewer FOREIGN KEY (reviewer_id) REFERENCES users (id) ON DELETE RESTRICT;',
  ].join('\n')
  expect(keysOf(readSqlMigration('m.sql', sql, diagnostics))).toEqual([
    'posts.author_id -> users.id ON DELETE CASCADE ON UPDATE NO ACTION @4',
    'posts.editor_id -> users.id ON DELETE SET NULL ON UPDATE CASCADE @7',
    'posts.reviewer_id -> users.id ON DELETE RESTRICT ON UPDATE NO ACTION @9',
  ])
  expect(diagnostics).toEqual([])
})

it('reads MySQL foreign keys through the second grammar', () => {
  const sql =
    'CREATE TABLE `orders` (`id` INT PRIMARY KEY, `customer_id` INT NOT NULL, FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE);'
  expect(keysOf(readSqlMigration('m.sql', sql, []))).toEqual(['orders.customer_id -> customers.id ON DELETE CASCADE ON UPDATE NO ACTION @1'])
})

it("reads Prisma relations with Prisma's defaults (onDelete Restrict when required, SetNull when optional; onUpdate Cascade) and @map names", () => {
  const prisma = [
    'model User {',
    '  id    Int    @id @map("user_id")',
    '  posts Post[]',
    '  @@map("users")',
    '}',
    'model Post {',
    '  id       Int   @id',
    '  author   User  @relation(fields: [authorId], references: [id])',
    '  authorId Int   @map("author_id")',
    '  editor   User? @relation("edits", fields: [editorId], references: [id], onUpdate: NoAction)',
    '  editorId Int?',
    '}',
  ].join('\n')
  expect(keysOf(readPrismaSchema('schema.prisma', prisma, []))).toEqual([
    'Post.author_id -> users.user_id ON DELETE RESTRICT ON UPDATE CASCADE @8',
    'Post.editorId -> users.user_id ON DELETE SET NULL ON UPDATE NO ACTION @10',
  ])
})
