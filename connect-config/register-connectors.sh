#!/bin/sh
# Registers the connectors of sqs-pii-connect with a Kafka Connect worker through its REST API.
#
#   CONNECT_URL=http://localhost:8083 CONNECT_USER=connect-admin CONNECT_PASSWORD_FILE=secret.txt \
#     connect-config/register-connectors.sh [connector.json ...]
#
# Connect REST needs basic auth (worker.properties): CONNECT_USER and the password from
# CONNECT_PASSWORD_FILE (a file holding only the password, e.g. a Docker secret) or CONNECT_PASSWORD.
# The credentials go to curl through a 0600 config file, never on its command line.
#
# Each file is PUT to /connectors/<file name without .json>/config: creates the connector or updates
# its config, so running this again is harmless. Default files: sqs-source.json, postgres-sink.json,
# rejected-sink.json next to this script. Waits up to WAIT_SECONDS (default 120) for the worker's REST
# API and exits non-zero, with Connect's error message, on the first config the worker refuses.
#
# With RESTART_FAILED_EVERY=N it registers nothing: every N seconds it asks Connect to restart whatever
# failed of those connectors (POST /connectors/<name>/restart?includeTasks=true&onlyFailed=true), for ever.
# Connect never restarts a failed task itself, and the JDBC sink fails its task when PostgreSQL drops its
# connection; this is the compose stack's counterpart of Strimzi's autoRestart.
# POSIX sh, mktemp, sed, grep and curl only (it runs in the curl image of docker-compose.yml, busybox).
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

connect_user=${CONNECT_USER:?CONNECT_USER is required (the Connect REST basic-auth user)}
if [ -n "${CONNECT_PASSWORD_FILE:-}" ]; then
  [ -r "$CONNECT_PASSWORD_FILE" ] || { echo "register-connectors: cannot read $CONNECT_PASSWORD_FILE" >&2; exit 1; }
  connect_password=$(cat "$CONNECT_PASSWORD_FILE")
else
  connect_password=${CONNECT_PASSWORD:?set CONNECT_PASSWORD_FILE or CONNECT_PASSWORD (the Connect REST password)}
fi

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
response=$work/response
auth=$work/curl.conf
# curl config syntax: backslash and double quote escaped inside the quoted value.
escaped=$(printf '%s:%s' "$connect_user" "$connect_password" | sed 's/\\/\\\\/g; s/"/\\"/g')
printf 'user = "%s"\n' "$escaped" > "$auth"

echo "register-connectors: waiting for Kafka Connect at $connect_url"
waited=0
while :; do
  status=$(curl -sS -K "$auth" -o /dev/null -w '%{http_code}' "$connect_url/connector-plugins" 2>/dev/null) || status=000
  case "$status" in
    200) break ;;
    401)
      echo "register-connectors: Kafka Connect refused the credentials of $connect_user (HTTP 401)" >&2
      exit 1 ;;
  esac
  waited=$((waited + 2))
  if [ "$waited" -gt "$wait_seconds" ]; then
    echo "register-connectors: Kafka Connect did not answer at $connect_url within ${wait_seconds}s (last HTTP $status)" >&2
    exit 1
  fi
  sleep 2
done

if [ -n "${RESTART_FAILED_EVERY:-}" ]; then
  echo "register-connectors: restarting failed connectors and tasks every ${RESTART_FAILED_EVERY}s"
  while :; do
    for file in "$@"; do
      name=$(basename "$file" .json)
      status=$(curl -sS -K "$auth" -o "$response" -w '%{http_code}' -X POST \
        "$connect_url/connectors/$name/restart?includeTasks=true&onlyFailed=true" 2>/dev/null) || status=000
      case "$status" in
        # 202 carries the connector's status; only what failed is RESTARTING.
        202) if grep -q RESTARTING "$response"; then echo "register-connectors: restarting what failed of $name"; fi ;;
        204|404) ;; # nothing failed; not registered (yet)
        *) echo "register-connectors: restart of $name answered HTTP $status" >&2 ;;
      esac
    done
    sleep "$RESTART_FAILED_EVERY"
  done
fi

for file in "$@"; do
  name=$(basename "$file" .json)
  status=$(curl -sS -K "$auth" -o "$response" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
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
