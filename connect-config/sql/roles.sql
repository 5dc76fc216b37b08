-- Group roles of sqs-pii-connect (NOLOGIN): grant them to real logins, e.g.
--   CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE pii_reader;
-- Roles are cluster-wide, so creation is idempotent; grants apply to the current database.
-- Apply after schema.sql.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pipeline_writer') THEN
    CREATE ROLE pipeline_writer NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analyst') THEN
    CREATE ROLE analyst NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pii_reader') THEN
    CREATE ROLE pii_reader NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pii_auditor') THEN
    CREATE ROLE pii_auditor NOLOGIN;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO pipeline_writer, analyst, pii_reader, pii_auditor;

-- The JDBC sink upserts (INSERT ... ON CONFLICT DO UPDATE needs SELECT on the conflict column).
GRANT SELECT, INSERT, UPDATE ON user_logins, user_logins_rejected TO pipeline_writer;

-- Analysts read the data tables; PII stays ciphertext for them.
GRANT SELECT ON user_logins, user_logins_rejected TO analyst;

-- PII readers are analysts who may write the audit row that every reveal needs.
GRANT analyst TO pii_reader;
GRANT INSERT ON pii_access_log TO pii_reader;
GRANT USAGE ON SEQUENCE pii_access_log_id_seq TO pii_reader;

-- Auditors read the audit log. Nobody gets UPDATE, DELETE or TRUNCATE on it.
GRANT SELECT ON pii_access_log TO pii_auditor;
REVOKE UPDATE, DELETE, TRUNCATE ON pii_access_log FROM PUBLIC;
