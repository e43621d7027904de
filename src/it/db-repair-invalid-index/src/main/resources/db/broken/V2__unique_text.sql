-- fails half way on the duplicates: PostgreSQL leaves the INVALID index notes_text_key behind
CREATE UNIQUE INDEX CONCURRENTLY notes_text_key ON notes (text);
