-- Wrong enrollment codes are counted so a code cannot be guessed: after a few misses it is burnt.
ALTER TABLE numbers ADD COLUMN enrollment_attempts INT NOT NULL DEFAULT 0;
