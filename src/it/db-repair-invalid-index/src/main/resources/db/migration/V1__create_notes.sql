CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);
INSERT INTO notes (text) SELECT 'note ' || (g % 500) FROM generate_series(1, 2000) g;
