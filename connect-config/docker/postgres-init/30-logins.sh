#!/usr/bin/env bash
# Login roles for docker compose, run once by the postgres image at first start (after
# 00-check-passwords.sh, 10-schema.sql and 20-roles.sql). Passwords come from .env, never from this file.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v pipeline_pw="$PIPELINE_DB_PASSWORD" \
  -v analyst_pw="$ANALYST_DB_PASSWORD" \
  -v reader_pw="$PII_READER_DB_PASSWORD" \
  -v auditor_pw="$PII_AUDITOR_DB_PASSWORD" \
  -v reveal_service_pw="$REVEAL_SERVICE_DB_PASSWORD" <<'SQL'
-- the JDBC sink connectors log in as pipeline
CREATE ROLE pipeline LOGIN PASSWORD :'pipeline_pw' IN ROLE pipeline_writer;
-- the reveal service's own login: records each reveal's outcome, reads no data, reveals nothing
CREATE ROLE reveal_service LOGIN PASSWORD :'reveal_service_pw' IN ROLE pii_reveal_service;
-- inspector demo logins: one that browses ciphertext, one that may reveal through the reveal service
-- (audited), and one that reviews the audit log. A reader is not its own auditor.
CREATE ROLE demo_analyst LOGIN PASSWORD :'analyst_pw' IN ROLE analyst;
CREATE ROLE demo_reader LOGIN PASSWORD :'reader_pw' IN ROLE pii_reader;
CREATE ROLE demo_auditor LOGIN PASSWORD :'auditor_pw' IN ROLE pii_auditor;
SQL
