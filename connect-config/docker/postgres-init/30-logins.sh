#!/usr/bin/env bash
# Login roles for docker compose, run once by the postgres image at first start (after
# 10-schema.sql and 20-roles.sql). Passwords come from .env, never from this file.
set -euo pipefail

for var in PIPELINE_DB_PASSWORD ANALYST_DB_PASSWORD PII_READER_DB_PASSWORD; do
  if [ -z "${!var:-}" ]; then
    echo "$var is not set: copy .env.example to .env and set it" >&2
    exit 1
  fi
done

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v pipeline_pw="$PIPELINE_DB_PASSWORD" \
  -v analyst_pw="$ANALYST_DB_PASSWORD" \
  -v reader_pw="$PII_READER_DB_PASSWORD" <<'SQL'
-- the JDBC sink connectors log in as pipeline
CREATE ROLE pipeline LOGIN PASSWORD :'pipeline_pw' IN ROLE pipeline_writer;
-- inspector demo logins: one that browses ciphertext, one that may reveal (audited)
CREATE ROLE demo_analyst LOGIN PASSWORD :'analyst_pw' IN ROLE analyst;
CREATE ROLE demo_reader LOGIN PASSWORD :'reader_pw' IN ROLE pii_reader, pii_auditor;
SQL
