-- What each opportunity's change events have said so far (CommitHistory): when each field was last changed, when
-- the record was created, its latest commit and who made it, the fields whose latest change was our own update.
-- Snapshots are dated from it field by field. A reconciliation of the record (a gap, an overflow) deletes its row:
-- what changed in the gap has no commit time. Every row is tenant-scoped.
CREATE TABLE salesforce_commit_history (
    tenant_id      text        NOT NULL,
    opportunity_id text        NOT NULL,
    created_at     timestamptz,
    last_commit    timestamptz NOT NULL,
    last_user      text,
    field_commits  jsonb       NOT NULL,
    our_fields     text[]      NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, opportunity_id)
);
