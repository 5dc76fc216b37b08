#!/bin/sh
# Registers the connectors of sqs-pii-connect with a Kafka Connect worker through its REST API.
#
#   CONNECT_URL=http://localhost:8083 connect-config/register-connectors.sh [connector.json ...]
#
# Each file is PUT to /connectors/<file name without .json>/config: creates the connector or updates
# its config, so running this again is harmless. Default files: sqs-source.json, postgres-sink.json,
# rejected-sink.json next to this script. Waits up to WAIT_SECONDS (default 120) for the worker's REST
# API and exits non-zero, with Connect's error message, on the first config the worker refuses.
# POSIX sh and curl only (it runs in the curl image of docker-compose.yml).
set -eu

connect_url=${CONNECT_URL:-http://localhost:8083}
wait_seconds=${WAIT_SECONDS:-120}
here=$(cd "$(dirname "$0")" && pwd)
if [ "$#" -eq 0 ]; then
  set -- "$here/sqs-source.json" "$here/postgres-sink.json" "$here/rejected-sink.json"
fi

for file in "$@"; do
  [ -r "$file" ] || { echo "register-connectors: cannot read $file" >&2; exit 1; }
done

echo "register-connectors: waiting for Kafka Connect at $connect_url"
waited=0
until curl -fsS -o /dev/null "$connect_url/connector-plugins"; do
  waited=$((waited + 2))
  if [ "$waited" -gt "$wait_seconds" ]; then
    echo "register-connectors: Kafka Connect did not answer at $connect_url within ${wait_seconds}s" >&2
    exit 1
  fi
  sleep 2
done

response=$(mktemp)
trap 'rm -f "$response"' EXIT
for file in "$@"; do
  name=$(basename "$file" .json)
  status=$(curl -sS -o "$response" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data-binary "@$file" "$connect_url/connectors/$name/config")
  case "$status" in
    200) echo "register-connectors: $name updated" ;;
    201) echo "register-connectors: $name created" ;;
    *)
      echo "register-connectors: Kafka Connect refused $name (HTTP $status):" >&2
      cat "$response" >&2
      echo >&2
      exit 1
      ;;
  esac
done
