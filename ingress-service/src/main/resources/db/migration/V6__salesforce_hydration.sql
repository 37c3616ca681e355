-- Which opportunity each child record belonged to when the opportunity was last hydrated (contact roles, contacts,
-- Microsoft solutions, team members): a deleted child can no longer be queried, and its delete event names only
-- itself, so this is how its opportunity is found. Every row is tenant-scoped.
CREATE TABLE salesforce_link (
    tenant_id      text NOT NULL,
    child_id       text NOT NULL,
    opportunity_id text NOT NULL,
    PRIMARY KEY (tenant_id, child_id, opportunity_id)
);
CREATE INDEX salesforce_link_opportunity ON salesforce_link (tenant_id, opportunity_id);

-- Where each tenant's Salesforce polling stands, per scope ('team-members' alongside change events, 'all' for an
-- org without them): changes up to polled_to were read.
CREATE TABLE salesforce_poll (
    tenant_id text        NOT NULL,
    scope     text        NOT NULL,
    polled_to timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, scope)
);
