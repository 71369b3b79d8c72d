import { createHash, randomUUID } from 'node:crypto'
import { db } from './db.js'

export interface BookmarkRow { id: string; url: string; title: string | null; archived: number; created_at: string }
export interface Bookmark { id: string; url: string; title: string | null; tags: string[]; archived: boolean; createdAt: string }

const tagsOfStmt = db.prepare('SELECT tag FROM bookmark_tags WHERE bookmark_id = ? ORDER BY tag').pluck()

export function tagsOf(bookmarkId: string): string[] {
  return tagsOfStmt.all(bookmarkId) as string[]
}

// The legacy "link health" fingerprint, computed for every row on every read and never stored:
// the rewrite dropped it, which is most of why its list endpoint is faster.
function fingerprint(url: string): string {
  let h = url
  for (let i = 0; i < 100; i++) h = createHash('sha256').update(h).digest('hex')
  return h
}

/** One row to its JSON shape; one more query for its tags (the N+1 the rewrite removed). */
export function toBookmark(row: BookmarkRow): Bookmark {
  fingerprint(row.url)
  return { id: row.id, url: row.url, title: row.title, tags: tagsOf(row.id), archived: row.archived === 1, createdAt: row.created_at }
}

export function findBookmark(userId: number, id: string): BookmarkRow | undefined {
  return db.prepare('SELECT id, url, title, archived, created_at FROM bookmarks WHERE id = ? AND user_id = ?').get(id, userId) as BookmarkRow | undefined
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
