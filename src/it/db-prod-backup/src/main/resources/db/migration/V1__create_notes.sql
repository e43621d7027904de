CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);
INSERT INTO notes (text) VALUES ('first'), ('second'), ('third');
