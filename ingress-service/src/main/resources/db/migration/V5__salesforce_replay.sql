-- Where each tenant's Salesforce change event subscription stands: the replay id of the last event whose
-- notifications Kafka acknowledged (never further), and since when a reconciliation is owed because events may
-- have been missed (a replay id Salesforce no longer knows, a gap or overflow event).
CREATE TABLE salesforce_replay (
    tenant_id       text        NOT NULL,
    topic           text        NOT NULL,
    replay_id       bytea,
    updated_at      timestamptz NOT NULL,
    reconcile_since timestamptz,
    PRIMARY KEY (tenant_id, topic)
);
