-- Commands held while their tenant was in dry run (cosell.dry-run), as they were consumed, in the order they came:
-- sent again, unchanged, when the tenant syncs for real, then deleted. Every row is tenant-scoped.
CREATE TABLE held_command (
    seq            bigserial   PRIMARY KEY,
    tenant_id      text        NOT NULL,
    event_id       text        NOT NULL,
    event_type     text        NOT NULL,
    source         text        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    subject        text        NOT NULL,
    correlation_id text        NOT NULL,
    source_version text,
    body           bytea       NOT NULL,
    held_at        timestamptz NOT NULL
);

CREATE INDEX held_command_by_tenant ON held_command (tenant_id, seq);
