-- The reconciliation poller's progress per tenant: referrals updated after `updated_since` are still to be read.
-- A tenant without a row has not been backfilled yet.
CREATE TABLE poll_watermark (
    tenant_id     text        PRIMARY KEY,
    updated_since timestamptz NOT NULL,
    backfilled_at timestamptz NOT NULL,
    last_run_at   timestamptz NOT NULL,
    published     bigint      NOT NULL DEFAULT 0
);
