-- The referral's version (eTag) that this writer's last PATCH of it made: a referral change of that version is the
-- echo of our own write, whose values came from Salesforce. Read by the salesforce-writer of the same release
-- (salesforce.agreement-schema), with `base`, so that such an echo never writes Partner Center's copy of a seller's
-- save back over the seller's later save.
ALTER TABLE referral_link ADD COLUMN written_etag text;
-- When (Partner Center's clock: the referral's updatedDateTime) the referral held the agreement in `base`: a
-- referral change later than this is news to the agreement, an earlier one is stale.
ALTER TABLE referral_link ADD COLUMN agreed_at timestamptz;
