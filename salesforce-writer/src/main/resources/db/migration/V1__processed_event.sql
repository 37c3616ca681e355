-- salesforce-writer's message log: one row per processed event and tenant, written in the same
-- transaction as the state it changes. Every row is tenant-scoped.
CREATE TABLE processed_event (
    tenant_id      text        NOT NULL,
    event_id       text        NOT NULL,
    event_type     text        NOT NULL,
    subject        text        NOT NULL,
    correlation_id text        NOT NULL,
    source_version text,
    processed_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
);

CREATE INDEX processed_event_subject ON processed_event (tenant_id, subject);
