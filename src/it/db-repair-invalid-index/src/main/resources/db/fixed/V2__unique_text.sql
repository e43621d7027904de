CREATE INDEX CONCURRENTLY notes_text_key ON notes (text);
