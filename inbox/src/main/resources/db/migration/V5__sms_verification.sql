-- Primary enrollment by SMS: when the last code went out, to rate-limit sending per number.
ALTER TABLE numbers ADD COLUMN verification_sent_at TIMESTAMPTZ;
