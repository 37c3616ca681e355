-- The referral's version (eTag) that this writer's last PATCH of it made: a referral change of that version is the
-- echo of our own write, whose values came from Salesforce. Read by the salesforce-writer of the same release
-- (salesforce.agreement-schema), with `base`, so that such an echo never writes Partner Center's copy of a seller's
-- save back over the seller's later save.
ALTER TABLE referral_link ADD COLUMN written_etag text;
