ALTER TABLE bookmarks ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;

CREATE TABLE collections (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE import_jobs (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  total INTEGER NOT NULL,
  progress INTEGER NOT NULL DEFAULT 0,
  finished_at TEXT
);
