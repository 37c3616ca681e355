-- The record of every admin call the service answered (service-admin's AdminCalls): who, what, which tenant, when,
-- and the answer's status. Repeatable and idempotent: every service with an admin surface gets it in its own schema.
CREATE TABLE IF NOT EXISTS admin_call (
    at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor     text        NOT NULL,
    method    text        NOT NULL,
    target    text        NOT NULL,
    tenant_id text,
    status    integer     NOT NULL
);

CREATE INDEX IF NOT EXISTS admin_call_by_time ON admin_call (at);
CREATE INDEX IF NOT EXISTS admin_call_by_tenant ON admin_call (tenant_id, at);
