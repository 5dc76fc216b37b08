#!/bin/sh
# Service task-restarter of docker-compose.yml: every RESTART_FAILED_EVERY seconds (default 30), asks Kafka
# Connect to restart whatever failed of each connector it runs (GET /connectors, then POST
# /connectors/<name>/restart?includeTasks=true&onlyFailed=true), for ever. Connect never restarts a failed
# task itself, and the JDBC sink fails its task when PostgreSQL drops its connection; this is the compose
# stack's counterpart of Strimzi's autoRestart. The connectors are whatever `dataset apply` registered: none
# is named here.
#
#   CONNECT_URL=http://connect:8083 CONNECT_USER=connect-admin CONNECT_PASSWORD_FILE=secret.txt \
#     connect-config/docker/restart-failed-connectors.sh
#
# Connect REST needs basic auth (worker.properties): CONNECT_USER and the password from CONNECT_PASSWORD_FILE
# (a file holding only the password, e.g. a Docker secret) or CONNECT_PASSWORD. The credentials go to curl
# through a 0600 config file, never on its command line. ONCE=1 makes one pass and exits (status 1 if Connect
# did not answer or refused the credentials).
# POSIX sh, mktemp, sed, tr, grep and curl only (it runs in the curl image of docker-compose.yml, busybox).
set -eu

connect_url=${CONNECT_URL:-http://localhost:8083}
every=${RESTART_FAILED_EVERY:-30}
connect_user=${CONNECT_USER:?CONNECT_USER is required (the Connect REST basic-auth user)}
if [ -n "${CONNECT_PASSWORD_FILE:-}" ]; then
  [ -r "$CONNECT_PASSWORD_FILE" ] || { echo "restart-failed-connectors: cannot read $CONNECT_PASSWORD_FILE" >&2; exit 1; }
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

echo "restart-failed-connectors: restarting failed connectors and tasks of $connect_url every ${every}s"
while :; do
  status=$(curl -sS -K "$auth" -o "$response" -w '%{http_code}' "$connect_url/connectors" 2>/dev/null) || status=000
  case "$status" in
    200)
      # a JSON array of connector names; names are [a-z0-9_-] (dataset name + suffix)
      for name in $(tr -d '[]" ' < "$response" | tr ',' '\n' | grep -E '^[A-Za-z0-9_.-]+$' || true); do
        status=$(curl -sS -K "$auth" -o "$response" -w '%{http_code}' -X POST \
          "$connect_url/connectors/$name/restart?includeTasks=true&onlyFailed=true" 2>/dev/null) || status=000
        case "$status" in
          # 202 carries the connector's status; only what failed is RESTARTING.
          202) if grep -q RESTARTING "$response"; then echo "restart-failed-connectors: restarting what failed of $name"; fi ;;
          204|404) ;; # nothing failed; deleted meanwhile
          *) echo "restart-failed-connectors: restart of $name answered HTTP $status" >&2 ;;
        esac
      done
      ;;
    401)
      echo "restart-failed-connectors: Kafka Connect refused the credentials of $connect_user (HTTP 401)" >&2
      [ -z "${ONCE:-}" ] || exit 1 ;;
    *)
      echo "restart-failed-connectors: Kafka Connect did not list its connectors (HTTP $status)" >&2
      [ -z "${ONCE:-}" ] || exit 1 ;;
  esac
  [ -z "${ONCE:-}" ] || exit 0
  sleep "$every"
done
