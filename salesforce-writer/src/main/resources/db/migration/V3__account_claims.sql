-- A new customer's account is claimed before it is created: a second writer replica that meets the same customer
-- while the first is creating it waits for the link instead of creating a second account. A claim without an
-- account id that is older than the claim timeout is taken over (its writer died before finishing); the writer that
-- holds a claim (claimed_by, one id per process) may use it again at once, and releases it when creation fails.
ALTER TABLE account_link ALTER COLUMN account_id DROP NOT NULL;
ALTER TABLE account_link ADD COLUMN claimed_at timestamptz;
ALTER TABLE account_link ADD COLUMN claimed_by text;
