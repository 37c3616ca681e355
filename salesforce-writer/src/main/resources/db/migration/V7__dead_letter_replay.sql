-- What a replay needs and what happened to a letter: the original record's headers, how often it was replayed, and
-- each operator action (replayed, discarded) with who did it.
ALTER TABLE dead_letter ADD COLUMN original_headers jsonb NOT NULL DEFAULT '{}';
ALTER TABLE dead_letter ADD COLUMN replays integer NOT NULL DEFAULT 0;
ALTER TABLE dead_letter ADD COLUMN discard_reason text;

CREATE TABLE dead_letter_history (
    tenant_id  text        NOT NULL,
    letter_id  text        NOT NULL,
    at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor      text        NOT NULL,
    action     text        NOT NULL,  -- replayed, discarded
    detail     text
);

CREATE INDEX dead_letter_history_letter ON dead_letter_history (tenant_id, letter_id, at);
