#!/usr/bin/env bash
# Starts the Connect worker with connect-config/worker.properties, overriding only what differs in
# a container: the broker address, the advertised REST host and the plugin folder. Later keys win
# in a properties file, so the overrides are appended to a copy.
# Also: the JAAS login file of the REST basic-auth extension (credentials from a Docker secret, written
# to owner-only files under /tmp) and the Prometheus JMX exporter agent on port 9404.
set -euo pipefail

rest_user=${CONNECT_REST_USER:?CONNECT_REST_USER is required}
password_file=${CONNECT_REST_PASSWORD_FILE:?CONNECT_REST_PASSWORD_FILE is required}
[ -r "$password_file" ] || { echo "connect: cannot read the REST password file $password_file" >&2; exit 1; }
rest_password=$(cat "$password_file")
case "$rest_password" in
  ""|change-me*)
    echo "connect: set CONNECT_REST_PASSWORD in .env to a real password (it is empty or still change-me...)" >&2
    exit 1 ;;
esac

umask 077
auth_dir=/tmp/connect-rest
mkdir -p "$auth_dir"
# PropertyFileLoginModule: one "user=password" line per REST user.
printf '%s=%s\n' "$rest_user" "$rest_password" > "$auth_dir/credentials.properties"
cat > "$auth_dir/jaas.conf" <<EOF
KafkaConnect {
  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required
  file="$auth_dir/credentials.properties";
};
EOF
# The healthcheck's Authorization header value (busybox base64 wraps lines: join them).
printf '%s:%s' "$rest_user" "$rest_password" | base64 | tr -d '\n' > "$auth_dir/basic-auth"

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

export KAFKA_OPTS="${KAFKA_OPTS:-} -Djava.security.auth.login.config=$auth_dir/jaas.conf \
-javaagent:/opt/connect/jmx/jmx_prometheus_javaagent.jar=9404:/opt/connect/jmx/connect-jmx-exporter.yml"
exec /opt/kafka/bin/connect-distributed.sh "$props"
