-- One row per opportunity that has (or is getting) a referral: the guard against two referrals for one opportunity.
-- `intent_at` is written and committed before the referral is POSTed; after a crash between the POST and the commit
-- of `referral_id`, the referral is looked for among those created since the intent (matched by
-- externalReferenceId) before posting again. `shared_at`: the documented second step (Microsoft's referral in the
-- engagement) is done. `intent_at` is null for a referral we did not create (shared with us). `base`: the values
-- both sides last agreed on, field by field (mapping's ReferralMerge).
CREATE TABLE referral_link (
    tenant_id       text        NOT NULL,
    opportunity_id  text        NOT NULL,
    referral_id     text,
    engagement_id   text,
    intent_at       timestamptz,
    created_at      timestamptz,
    shared_at       timestamptz,
    base            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, opportunity_id)
);

CREATE UNIQUE INDEX referral_link_referral ON referral_link (tenant_id, referral_id) WHERE referral_id IS NOT NULL;
