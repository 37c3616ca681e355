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

-- What each writer would have written for a tenant in dry run (this writer's own lines, and the
-- partnercenter-writer's from its DRY_RUN outcomes): the admin API's listing. Cleared when the tenant goes live.
CREATE TABLE dry_run_write (
    seq         bigserial   PRIMARY KEY,
    tenant_id   text        NOT NULL,
    writer      text        NOT NULL,
    subject     text        NOT NULL,
    would       text        NOT NULL,
    recorded_at timestamptz NOT NULL
);

CREATE INDEX dry_run_write_by_tenant ON dry_run_write (tenant_id, seq);
