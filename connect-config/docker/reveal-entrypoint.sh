#!/usr/bin/env bash
# Starts the reveal service in its container: the only place people's reveals are decrypted.
# It must listen on 0.0.0.0 inside the container (Docker forwards the published port there), and the
# service refuses a non-loopback address without TLS: so it gets a PKCS12 key pair, made here with the
# JRE's keytool at first start (a named volume keeps it) unless one is mounted at /opt/reveal/tls.
# Its certificate is /opt/reveal/tls/reveal-cert.pem: `docker compose cp reveal:/opt/reveal/tls/reveal-cert.pem .`
set -euo pipefail

tls_dir=/opt/reveal/tls
keystore=$tls_dir/reveal.p12
. /opt/reveal/read-secret.sh
password_file=${REVEAL_TLS_KEYSTORE_PASSWORD_FILE:?REVEAL_TLS_KEYSTORE_PASSWORD_FILE is required}
keystore_password=$(read_secret "$password_file" REVEAL_TLS_KEYSTORE_PASSWORD)
# The service's own database login (pii_reveal_service): the service reads its password from the file itself.
db_password_file=${REVEAL_DB_SERVICE_PASSWORD_FILE:?REVEAL_DB_SERVICE_PASSWORD_FILE is required}
read_secret "$db_password_file" REVEAL_SERVICE_DB_PASSWORD > /dev/null

umask 077
if [ ! -f "$keystore" ]; then
  echo "reveal: no key pair in $tls_dir, making a self-signed one for localhost"
  keytool -genkeypair -alias reveal -keyalg EC -groupname secp256r1 -validity 825 \
    -dname "CN=localhost" -ext "SAN=dns:localhost,dns:reveal,ip:127.0.0.1" \
    -storetype PKCS12 -keystore "$keystore" -storepass:file "$password_file"
  keytool -exportcert -rfc -alias reveal -keystore "$keystore" -storepass:file "$password_file" \
    -file "$tls_dir/reveal-cert.pem"
  chmod 0644 "$tls_dir/reveal-cert.pem"
fi

config=/tmp/reveal.properties
# every keyset the keys service made: keyset.<keyset>.file, by the name the PII catalog records
files=$(keyset_files /opt/reveal/keys)
keysets=
while read -r name file; do
  keysets="${keysets}keyset.$name.file=$file"$'\n'
done <<< "$files"
cat > "$config" <<EOF
listen.host=0.0.0.0
listen.port=8089
tls.keystore.file=$keystore
tls.keystore.password=$keystore_password
db.url=${REVEAL_DB_URL:?REVEAL_DB_URL is required}
db.service.user=${REVEAL_DB_SERVICE_USER:-reveal_service}
db.service.password.file=$db_password_file
# this install's keysets (appended below) are clear Tink JSON (compose has no KMS); production: KMS-encrypted +
# keyset.kms.key.uri
keyset.allow.cleartext=true
rate.limit.cells.per.minute=${REVEAL_RATE_LIMIT_CELLS_PER_MINUTE:-60}
max.cells.per.request=${REVEAL_MAX_CELLS_PER_REQUEST:-20}
EOF
printf '%s' "$keysets" >> "$config"

exec java ${JAVA_OPTS:-} -jar /opt/reveal/reveal-service.jar --config "$config"
