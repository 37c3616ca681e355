-- The dead-letter index: every letter on the four dead-letter topics, one row per failed record and tenant. A record
-- that fails again (after a replay) is a further failure of the same letter, never a second one.
CREATE TABLE dead_letter (
    tenant_id        text        NOT NULL,  -- '' when the record named no valid tenant
    letter_id        text        NOT NULL,  -- the original event id, or topic/partition/offset when it had none
    service          text        NOT NULL,
    reason_code      text        NOT NULL,
    reason           text        NOT NULL,
    attempts         integer     NOT NULL,  -- the service's tries before it gave up, on the latest failure
    failures         integer     NOT NULL DEFAULT 1,
    state            text        NOT NULL DEFAULT 'open'
                         CHECK (state IN ('open', 'replayed', 'resolved', 'discarded')),
    original_topic   text        NOT NULL,
    original_key     text,
    original_type    text,
    original_payload text,
    payload_encoding text        NOT NULL,
    first_failed_at  timestamptz NOT NULL,
    last_failed_at   timestamptz NOT NULL,
    last_letter_at   text        NOT NULL,  -- the dead-letter record (topic/partition/offset) last indexed
    PRIMARY KEY (tenant_id, letter_id)
);

CREATE INDEX dead_letter_by_state ON dead_letter (tenant_id, state, last_failed_at);
