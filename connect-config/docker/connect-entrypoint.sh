#!/usr/bin/env bash
# Starts the Connect worker with connect-config/worker.properties, overriding only what differs in
# a container: the broker address, the advertised REST host and the plugin folder. Later keys win
# in a properties file, so the overrides are appended to a copy.
# Also: the JAAS login file of the REST basic-auth extension (credentials from a Docker secret, written
# to owner-only files under /tmp), the sinks' database password as the file config provider reads it
# (/opt/connect/secrets/jdbc.properties, key password: never an environment variable, which the env
# provider could hand to any connector key) and the Prometheus JMX exporter agent on port 9404.
# The keysets: PII_<KEYSET>_KEYSET=<file> for every pii-<keyset>.json in PII_KEYS_DIR (the keys service made one
# per keyset the dataset definitions name), the variables the generated source configs read.
set -euo pipefail

. /opt/connect/read-secret.sh
rest_user=${CONNECT_REST_USER:?CONNECT_REST_USER is required}
rest_password=$(read_secret "${CONNECT_REST_PASSWORD_FILE:?CONNECT_REST_PASSWORD_FILE is required}" CONNECT_REST_PASSWORD)
db_password=$(read_secret "${PIPELINE_DB_PASSWORD_FILE:?PIPELINE_DB_PASSWORD_FILE is required}" PIPELINE_DB_PASSWORD)
write_property_file /opt/connect/secrets/jdbc.properties password "$db_password"
unset db_password

umask 077
auth_dir=/tmp/connect-rest
mkdir -p "$auth_dir"
# PropertyFileLoginModule reads a properties file: one "user=password" line, backslashes escaped.
printf '%s=%s\n' "$rest_user" "${rest_password//\\/\\\\}" > "$auth_dir/credentials.properties"
cat > "$auth_dir/jaas.conf" <<EOF
KafkaConnect {
  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required
  file="$auth_dir/credentials.properties";
};
EOF
# The healthcheck's Authorization header value (busybox base64 wraps lines: join them).
printf '%s:%s' "$rest_user" "$rest_password" | base64 | tr -d '\n' > "$auth_dir/basic-auth"

keys_dir=${PII_KEYS_DIR:?PII_KEYS_DIR is required (the folder of the pii-<keyset>.json files)}
keysets=$(keyset_files "$keys_dir")
while read -r name file; do
  # keyset names are lower-case identifiers: PII_<NAME>_KEYSET, as the env provider's allow-list takes it
  export "PII_${name^^}_KEYSET=$file"
done <<< "$keysets"

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
