CREATE OR REPLACE VIEW notes_view AS SELECT id, text FROM notes;
