#!/usr/bin/env bash
# One-shot service "keys" of docker-compose.yml: makes the stack's Tink keysets, one per keyset the dataset
# definitions name (`dataset keysets DATASETS_DIR`: "<keyset> <mode>" lines), with the pii-keys CLI (module pii-keys),
# as pii-<keyset>.json in the pii-keys volume that the worker (encrypts) and the reveal service (decrypts) mount
# read-only. Each install gets its own keys: the committed connect-config/dev/keys are
# for tests only and never encrypt compose data. A keyset already there is kept (rows stay decryptable);
# `docker compose down -v` drops it together with the data it protects.
# The files are clear Tink JSON (compose has no KMS), readable only by the group PII_KEYS_GID, which the
# connect and reveal services join (group_add).
set -euo pipefail

dir=${PII_KEYS_DIR:-/keys}
group=${PII_KEYS_GID:?PII_KEYS_GID is required (the group the connect and reveal services join)}
jar=${PII_KEYS_JAR:-/opt/keys/pii-keys.jar}
dataset_jar=${DATASET_JAR:-/opt/keys/dataset.jar}
datasets=${DATASETS_DIR:?DATASETS_DIR is required (the dataset definitions, datasets/)}

keysets=$(java -jar "$dataset_jar" keysets "$datasets")
[ -n "$keysets" ] || { echo "keys: the definitions in $datasets name no keyset" >&2; exit 1; }

umask 077
while read -r name mode; do
  file=$dir/pii-$name.json
  if [ -s "$file" ]; then
    echo "keys: $file exists, kept"
    continue
  fi
  tmp=$dir/.pii-$name.json.new
  rm -f "$tmp"
  java -jar "$jar" generate --mode "$mode" --out "$tmp" > /dev/null < /dev/null
  chgrp "$group" "$tmp"
  chmod 0440 "$tmp"
  mv "$tmp" "$file" # a keyset appears whole or not at all
  echo "keys: made a new $mode keyset $file"
done <<< "$keysets"
