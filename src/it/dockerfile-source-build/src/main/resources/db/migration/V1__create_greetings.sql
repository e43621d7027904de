CREATE TABLE greetings (id bigint PRIMARY KEY, text varchar(200) NOT NULL);
