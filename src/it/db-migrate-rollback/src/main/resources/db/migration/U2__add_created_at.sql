DROP INDEX notes_created_at_idx;
ALTER TABLE notes DROP COLUMN created_at;
