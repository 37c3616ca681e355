-- The referral's values of its "latest"-owned opportunity fields as last seen ({"Amount": 45000, ...}): a later
-- command writes such a field only when Partner Center changed it since, so a seller's newer edit of a field Partner
-- Center left alone is not overwritten. Null for states written before this column: then every such field is written.
ALTER TABLE sync_state ADD COLUMN seen jsonb;
