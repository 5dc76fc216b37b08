#!/usr/bin/env bash
# Runs first at PostgreSQL's first start (docker-entrypoint-initdb.d, before the schema): refuses to
# create a database whose passwords are missing or still the placeholders of .env.example.
# A refused init leaves no half-made database: fix .env, then `docker compose down -v` and up again.
set -euo pipefail

bad=0
for var in POSTGRES_PASSWORD PIPELINE_DB_PASSWORD ANALYST_DB_PASSWORD PII_READER_DB_PASSWORD \
    PII_AUDITOR_DB_PASSWORD REVEAL_SERVICE_DB_PASSWORD; do
  value=${!var:-}
  case "$value" in
    "")
      echo "postgres-init: $var is not set: copy .env.example to .env and set it" >&2
      bad=1 ;;
    change-me*)
      echo "postgres-init: $var is still the placeholder of .env.example (change-me...): set a real password in .env" >&2
      bad=1 ;;
    *)
      if [ "${#value}" -lt 12 ]; then
        echo "postgres-init: $var is shorter than 12 characters: set a longer password in .env" >&2
        bad=1
      fi ;;
  esac
done
if [ "$bad" -ne 0 ]; then
  echo "postgres-init: refusing to initialise the database (then: docker compose down -v && docker compose up --build)" >&2
  exit 1
fi
