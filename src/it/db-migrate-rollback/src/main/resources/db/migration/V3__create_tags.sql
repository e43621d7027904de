CREATE TABLE tags (
    note_id BIGINT NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    tag     VARCHAR(64) NOT NULL,
    PRIMARY KEY (note_id, tag)
);
CREATE INDEX tags_tag_idx ON tags (tag);
