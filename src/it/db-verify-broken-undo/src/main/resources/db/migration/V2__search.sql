ALTER TABLE notes ADD COLUMN title VARCHAR(80);
CREATE INDEX notes_title_idx ON notes (title);
CREATE SEQUENCE note_numbers START 100;
