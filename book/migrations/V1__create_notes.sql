-- The book's embedded migration (see "Existing databases and migrations").
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
