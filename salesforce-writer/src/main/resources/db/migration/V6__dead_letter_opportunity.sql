-- The opportunity a dead letter concerns, once found in Salesforce (null: none found, or not looked for yet).
ALTER TABLE dead_letter ADD COLUMN opportunity_id text;
