DROP INDEX notes_title_idx;
ALTER TABLE notes DROP COLUMN title;
