CREATE TABLE notes (
    id      BIGSERIAL PRIMARY KEY,
    text    TEXT NOT NULL
);
