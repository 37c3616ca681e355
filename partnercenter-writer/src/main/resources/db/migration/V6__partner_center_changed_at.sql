-- When Partner Center itself last changed the referral (its updatedDateTime before our PATCHes), as of our last
-- write: while the referral's version is still the one our PATCH made (written_etag), its updatedDateTime is our
-- write's, and dates the values we did not touch too late. A seller's save made before our PATCH but after this
-- time is later than every value of Partner Center's that it differs from.
ALTER TABLE referral_link ADD COLUMN changed_at timestamptz;
