-- The user_logins tables as connect-config/sql/schema.sql created them before dataset definitions: a database
-- of that time, which `dataset apply datasets/user_logins` adopts as it is.

CREATE TABLE IF NOT EXISTS user_logins (
  message_id       text PRIMARY KEY,     -- SQS MessageId: a redelivery upserts the same row
  user_id          text NOT NULL,
  device_type      text,
  masked_ip        text,                 -- deterministic ciphertext: equal ip -> equal value
  masked_device_id text,                 -- deterministic ciphertext: equal device id -> equal value
  locale           text,
  app_version      text,                 -- "2.3.0" kept as sent
  create_date      timestamptz NOT NULL  -- SQS SentTimestamp
);

-- Duplicates are found by SQL equality on ciphertext; browsing pages by time. The ciphertext columns get
-- hash indexes: a valid message may carry a field of up to 1 MiB, whose ciphertext is larger than a B-tree
-- entry may be (about 2.7 KB), which would make PostgreSQL refuse the row and stop the sink.
DROP INDEX IF EXISTS user_logins_masked_device_id_idx;
DROP INDEX IF EXISTS user_logins_masked_ip_idx;
CREATE INDEX IF NOT EXISTS user_logins_masked_device_id_hash ON user_logins USING hash (masked_device_id);
CREATE INDEX IF NOT EXISTS user_logins_masked_ip_hash ON user_logins USING hash (masked_ip);
CREATE INDEX IF NOT EXISTS user_logins_create_date_idx ON user_logins (create_date, message_id);

CREATE TABLE IF NOT EXISTS user_logins_rejected (
  message_id     text PRIMARY KEY,
  error          text NOT NULL,          -- why the body was rejected; never contains the body
  encrypted_body text NOT NULL,          -- randomized AEAD ciphertext of the original body
  create_date    timestamptz NOT NULL
);

-- The inspector's Rejected tab pages and filters by time, and its Overview counts rejections over time.
CREATE INDEX IF NOT EXISTS user_logins_rejected_create_date_idx ON user_logins_rejected (create_date, message_id);
