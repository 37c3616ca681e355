-- Commands taken in by salesforce-writer: its message log for idempotent processing.
-- Every row is tenant-scoped; the same event id under two tenants is two commands.
CREATE TABLE received_command (
    tenant_id      text        NOT NULL,
    event_id       text        NOT NULL,
    command_type   text        NOT NULL,
    subject        text        NOT NULL,
    correlation_id text        NOT NULL,
    source_version text,
    received_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
);

CREATE INDEX received_command_subject ON received_command (tenant_id, subject);
