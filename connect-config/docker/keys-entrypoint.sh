#!/usr/bin/env bash
# One-shot service "keys" of docker-compose.yml: makes the stack's two Tink keysets at its first start, with
# the pii-keys CLI (module pii-keys), into the pii-keys volume that the worker (encrypts) and the reveal service
# (decrypts) mount read-only. Each install gets its own keys: the committed connect-config/dev/keys are
# for tests only and never encrypt compose data. A keyset already there is kept (rows stay decryptable);
# `docker compose down -v` drops it together with the data it protects.
# The files are clear Tink JSON (compose has no KMS), readable only by the group PII_KEYS_GID, which the
# connect and reveal services join (group_add).
set -euo pipefail

dir=${PII_KEYS_DIR:-/keys}
group=${PII_KEYS_GID:?PII_KEYS_GID is required (the group the connect and reveal services join)}
jar=${PII_KEYS_JAR:-/opt/keys/pii-keys.jar}

umask 077
for mode in deterministic randomized; do
  file=$dir/pii-$mode.json
  if [ -s "$file" ]; then
    echo "keys: $file exists, kept"
    continue
  fi
  tmp=$dir/.pii-$mode.json.new
  rm -f "$tmp"
  java -jar "$jar" generate --mode "$mode" --out "$tmp" > /dev/null
  chgrp "$group" "$tmp"
  chmod 0440 "$tmp"
  mv "$tmp" "$file" # a keyset appears whole or not at all
  echo "keys: made a new $mode keyset $file"
done
