UPDATE notes SET text = upper(text);
CREATE TABLE audit (id INT);
