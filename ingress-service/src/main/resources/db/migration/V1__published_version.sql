-- What ingress last published per source record: a repeated notification for an unchanged record publishes
-- nothing, and the reconciliation poller (issue 7) compares against it. Every row is tenant-scoped.
CREATE TABLE published_version (
    tenant_id      text        NOT NULL,
    source         text        NOT NULL,  -- 'partner-center' or 'salesforce'
    record_id      text        NOT NULL,  -- referral id or opportunity id
    source_version text        NOT NULL,  -- referral eTag, or the opportunity snapshot version
    event_id       text        NOT NULL,
    published_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, source, record_id)
);
