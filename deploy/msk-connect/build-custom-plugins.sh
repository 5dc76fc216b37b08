#!/bin/sh
# Builds the two MSK Connect custom plugins from this repository's build output (run after
# ./mvnw -pl local-pipeline -am package -DskipTests). MSK Connect gives a connector ONE custom plugin, so:
#   target/sqs-pii-source-msk-plugin.zip  sqs-source-connector + pii-smt's encrypt-only plugin (no
#                                         DecryptFields) + the MSK config providers, one lib/ folder
#   target/sqs-pii-jdbc-sink-msk-plugin.zip  the Debezium JDBC sink (PostgreSQL driver only) + the MSK config providers
# The MSK config providers (github.com/aws-samples/msk-config-providers) are not on Maven Central: pass
# their release zip as MSK_CONFIG_PROVIDERS_ZIP (without it the plugins are built without them).
# Needs a JDK (jar) and tar.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
plugins=${PLUGINS_DIR:-$root/local-pipeline/target/plugins}
out=$here/target
[ -d "$plugins" ] || { echo "build-custom-plugins: $plugins is missing: ./mvnw -pl local-pipeline -am package -DskipTests" >&2; exit 1; }

rm -rf "$out" && mkdir -p "$out"

assemble() { # name, plugin folders...
  name=$1; shift
  dir=$out/$name
  mkdir -p "$dir/lib"
  for folder in "$@"; do
    set -- "$plugins"/$folder
    [ -d "$1" ] || { echo "build-custom-plugins: no plugin folder $folder in $plugins" >&2; exit 1; }
    if [ -d "$1/lib" ]; then cp "$1"/lib/*.jar "$dir/lib/"; else cp "$1"/*.jar "$dir/lib/"; fi
  done
  if [ -n "${MSK_CONFIG_PROVIDERS_ZIP:-}" ]; then
    (cd "$dir/lib" && jar xf "$MSK_CONFIG_PROVIDERS_ZIP")
  fi
  for jar in "$dir"/lib/*.jar; do
    entries=$(jar tf "$jar") # listed once: a JVM start per listing is most of this script's time
    if printf '%s\n' "$entries" | grep -q 'DecryptFields'; then
      echo "build-custom-plugins: $jar holds DecryptFields: a worker must never carry it" >&2; exit 1
    fi
    # JDBC drivers: PostgreSQL's only (local-pipeline's pom drops the others from Debezium's archive; a
    # MySQL/MariaDB driver lets a connection.url read the worker's files through LOCAL INFILE)
    if printf '%s\n' "$entries" | grep -Eq '^(com/mysql/|org/mariadb/|com/microsoft/sqlserver/|oracle/jdbc/)'; then
      echo "build-custom-plugins: $jar is a JDBC driver other than PostgreSQL's: no sink here needs it" >&2; exit 1
    fi
  done
  (cd "$out" && jar cfM "$name-msk-plugin.zip" "$name")
  echo "build-custom-plugins: $out/$name-msk-plugin.zip ($(ls "$dir/lib" | wc -l) jars)"
}

assemble sqs-pii-source 'sqspii-sqs-source-connector-*' 'sqspii-pii-smt-*'
assemble sqs-pii-jdbc-sink 'debezium-connector-jdbc'
