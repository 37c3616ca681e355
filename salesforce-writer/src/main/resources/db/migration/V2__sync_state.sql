-- What the writer last applied to Salesforce, per referral: the source version (Partner Center's updatedDateTime
-- and eTag), a fingerprint of the command, and the Salesforce ids of everything it wrote, so a stale or unchanged
-- command makes no call and objects without an external id are found again.
CREATE TABLE sync_state (
    tenant_id         text        NOT NULL,
    referral_id       text        NOT NULL,
    source_updated_at timestamptz NOT NULL,
    source_version    text,
    fingerprint       text        NOT NULL,
    opportunity_id    text        NOT NULL,
    account_id        text,
    -- {"Contact": {"<match value>": {"id": "003…", "link": "00K…"}}, "Microsoft_Solution__c": {...}, "User": {...}}
    children          jsonb       NOT NULL DEFAULT '{}',
    applied_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, referral_id)
);

-- The account a customer matched (by the tenant's matching rule) or was created as: two referrals for the same
-- new customer share it.
CREATE TABLE account_link (
    tenant_id  text        NOT NULL,
    match_key  text        NOT NULL,
    account_id text        NOT NULL,
    linked_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, match_key)
);
