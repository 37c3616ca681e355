-- The referral versions (eTags) this writer's recent PATCHes made, newest first, at most 16 (written_etag is the
-- first). A referral change of one of them is the echo of our own write even when it reaches the salesforce-writer
-- after a later PATCH of ours: its values came from Salesforce, and from an older save than the opportunity's now.
ALTER TABLE referral_link ADD COLUMN written_etags text[] NOT NULL DEFAULT '{}';
