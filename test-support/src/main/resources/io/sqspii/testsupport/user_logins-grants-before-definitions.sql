-- The user_logins grants and triggers as connect-config/sql/roles.sql made them before dataset definitions
-- (apply after roles.sql, which defines pii_keep_ciphertexts()).

REVOKE ALL ON user_logins, user_logins_rejected FROM PUBLIC, pipeline_writer, analyst, pii_reader, pii_auditor,
  pii_reveal_service, pii_reencryptor;

-- The JDBC sink upserts: INSERT ... ON CONFLICT (message_id) DO UPDATE SET <every other column> needs SELECT,
-- INSERT and UPDATE of those columns. Never of message_id (the audit names rows by it), no DELETE.
-- A column added to a table needs its place in these lists, or the sink's upsert is refused.
GRANT SELECT, INSERT ON user_logins, user_logins_rejected TO pipeline_writer;
GRANT UPDATE (user_id, device_type, masked_ip, masked_device_id, locale, app_version, create_date)
  ON user_logins TO pipeline_writer;
GRANT UPDATE (error, encrypted_body, create_date) ON user_logins_rejected TO pipeline_writer;

-- pii-keys reencrypt reads the rows and rewrites the ciphertext columns (to the keyset's new primary key).
GRANT SELECT ON user_logins, user_logins_rejected TO pii_reencryptor;
GRANT UPDATE (masked_ip, masked_device_id) ON user_logins TO pii_reencryptor;
GRANT UPDATE (encrypted_body) ON user_logins_rejected TO pii_reencryptor;

-- Analysts read the data tables; PII stays ciphertext for them.
GRANT SELECT ON user_logins, user_logins_rejected TO analyst;

GRANT SELECT ON user_logins, user_logins_rejected TO pii_audit_owner;

CREATE OR REPLACE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public.user_logins
  FOR EACH ROW EXECUTE FUNCTION public.pii_keep_ciphertexts('masked_ip', 'masked_device_id');
CREATE OR REPLACE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public.user_logins_rejected
  FOR EACH ROW EXECUTE FUNCTION public.pii_keep_ciphertexts('encrypted_body');
