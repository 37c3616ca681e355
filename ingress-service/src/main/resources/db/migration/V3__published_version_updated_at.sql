-- The source record's own modification time of the version last published, so that an older version read after a
-- newer one (reordered notifications, a poller racing a webhook) is never published over it.
ALTER TABLE published_version ADD COLUMN source_updated_at timestamptz;
