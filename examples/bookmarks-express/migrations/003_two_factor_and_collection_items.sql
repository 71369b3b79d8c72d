ALTER TABLE users ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;

CREATE TABLE collection_bookmarks (
  collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  bookmark_id TEXT NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE,
  PRIMARY KEY (collection_id, bookmark_id)
);
