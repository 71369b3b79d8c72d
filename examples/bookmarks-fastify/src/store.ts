import { randomUUID } from 'node:crypto'
import { db } from './db.js'

export interface BookmarkRow { id: string; url: string; title: string | null; archived: number; created_at: string; tags: string | null }
export interface Bookmark { id: string; url: string; title: string | null; tags: string[]; archived: boolean; createdAt: string }

// Bookmarks with their tags in one query (the Express service ran one more query per row).
const select = `SELECT b.id, b.url, b.title, b.archived, b.created_at, group_concat(t.tag, char(31)) AS tags
  FROM bookmarks b LEFT JOIN bookmark_tags t ON t.bookmark_id = b.id`

export const toBookmark = (row: BookmarkRow): Bookmark => ({
  id: row.id, url: row.url, title: row.title, tags: row.tags ? row.tags.split('\x1f').sort() : [], archived: row.archived === 1, createdAt: row.created_at,
})

export function listBookmarks(userId: number, filter?: { tag?: string; q?: string; limit?: number }): Bookmark[] {
  const where = ['b.user_id = ?']
  const args: unknown[] = [userId]
  if (filter?.tag) {
    where.push('b.id IN (SELECT bookmark_id FROM bookmark_tags WHERE tag = ?)')
    args.push(filter.tag)
  }
  if (filter?.q) {
    where.push('(b.title LIKE ? OR b.url LIKE ?)')
    args.push(`%${filter.q}%`, `%${filter.q}%`)
  }
  const limit = filter?.limit ? `LIMIT ${filter.limit}` : ''
  return (db.prepare(`${select} WHERE ${where.join(' AND ')} GROUP BY b.id ORDER BY b.rowid ${limit}`).all(...args) as BookmarkRow[]).map(toBookmark)
}

export function findBookmark(userId: number, id: string): Bookmark | undefined {
  const row = db.prepare(`${select} WHERE b.id = @id AND b.user_id = @userId GROUP BY b.id`).get({ id, userId }) as BookmarkRow | undefined
  return row && toBookmark(row)
}

export function setTags(bookmarkId: string, tags: string[]): void {
  db.prepare('DELETE FROM bookmark_tags WHERE bookmark_id = ?').run(bookmarkId)
  for (const tag of tags) {
    db.prepare('INSERT OR IGNORE INTO tags (name) VALUES (?)').run(tag)
    db.prepare('INSERT INTO bookmark_tags (bookmark_id, tag) VALUES (?, ?)').run(bookmarkId, tag)
  }
}

export function insertBookmark(userId: number, input: { url: string; title?: string | null; tags: string[] }): string {
  const id = randomUUID()
  db.prepare('INSERT INTO bookmarks (id, user_id, url, title, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(id, userId, input.url, input.title ?? null, new Date().toISOString())
  setTags(id, input.tags)
  return id
}
