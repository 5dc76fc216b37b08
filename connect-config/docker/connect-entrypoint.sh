#!/usr/bin/env bash
# Starts the Connect worker with connect-config/worker.properties, overriding only what differs in
# a container: the broker address, the advertised REST host and the plugin folder. Later keys win
# in a properties file, so the overrides are appended to a copy.
set -euo pipefail

props=/tmp/worker.properties
cp /opt/connect/worker.properties "$props"
{
  echo
  echo "# container overrides (connect-entrypoint.sh)"
  echo "bootstrap.servers=${CONNECT_BOOTSTRAP_SERVERS:?CONNECT_BOOTSTRAP_SERVERS is required}"
  echo "listeners=http://0.0.0.0:8083"
  echo "rest.advertised.host.name=${CONNECT_REST_ADVERTISED_HOST_NAME:-$(hostname)}"
  echo "plugin.path=/opt/connect/plugins"
} >> "$props"

exec /opt/kafka/bin/connect-distributed.sh "$props"
