package io.sqspii.inspector;

import java.nio.file.Path;

/**
 * Where the keys come from, as chosen in the connect dialog: clear-text keyset files (development),
 * or keyset files encrypted under a KMS key (kmsUri set). Either file may be absent: then the
 * columns it serves cannot be revealed.
 *
 * @param deterministicFile keyset of user_logins.masked_ip / masked_device_id (AES256_SIV), or null
 * @param randomizedFile    keyset of user_logins_rejected.encrypted_body (AES256_GCM), or null
 * @param kmsUri            KMS key URI (e.g. aws-kms://arn:aws:kms:...) when the files are encrypted, else null
 */
record KeysetChoice(Path deterministicFile, Path randomizedFile, String kmsUri) {

    static final KeysetChoice NONE = new KeysetChoice(null, null, null);

    boolean kms() {
        return kmsUri != null && !kmsUri.isBlank();
    }

    boolean isEmpty() {
        return deterministicFile == null && randomizedFile == null;
    }
}
