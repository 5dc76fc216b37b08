package io.sqspii.pii.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a Tink JSON keyset comes from: a clear-text file (dev/test only) or a file encrypted with an AWS
 * KMS key (envelope; the production path). Keys are never given inline.
 */
public final class KeysetSource {
    private static final Logger log = LoggerFactory.getLogger(KeysetSource.class);
    /** Associated data of the keyset envelope (empty, as Tink's own tools write it). */
    static final byte[] KEYSET_AD = new byte[0];

    static {
        PiiCipher.registerTink(); // parsed keys must map to typed Tink keys, whoever loads first
    }

    /** Purpose of a KMS-wrapped keyset: read from the file's unencrypted keyset info (its key type). */
    private static final String FROM_KEY_TYPE = "(from the key type)";

    private final Path file;
    private final String kmsKeyUri;
    private final URI kmsEndpoint;
    private final String purpose;

    private KeysetSource(Path file, String kmsKeyUri, URI kmsEndpoint, String purpose) {
        this.file = Objects.requireNonNull(file, "keyset file");
        this.kmsKeyUri = kmsKeyUri;
        this.kmsEndpoint = kmsEndpoint;
        this.purpose = purpose;
    }

    /** A clear-text Tink JSON keyset: anyone who reads the file has the keys. Dev/test only. */
    public static KeysetSource cleartextFile(Path file) {
        return new KeysetSource(file, null, null, null);
    }

    /**
     * A keyset encrypted with the AWS KMS key {@code aws-kms://arn:aws:kms:<region>:<account>:key/<id>}, for
     * the purpose its key type names ({@link Keysets#purposeOf}); for tools that do not know the mode.
     */
    public static KeysetSource kmsEncrypted(String kmsKeyUri, Path encryptedKeysetFile) {
        return kmsEncrypted(kmsKeyUri, encryptedKeysetFile, null);
    }

    /** As {@link #kmsEncrypted(String, Path)}, through a KMS endpoint other than the region's default (VPC endpoint). */
    public static KeysetSource kmsEncrypted(String kmsKeyUri, Path encryptedKeysetFile, URI kmsEndpoint) {
        return kmsEncrypted(kmsKeyUri, encryptedKeysetFile, kmsEndpoint, FROM_KEY_TYPE);
    }

    /**
     * A KMS-encrypted keyset that KMS unwraps only for {@code purpose} (the encryption context the keyset was
     * wrapped with, e.g. {@code pii-deterministic}); null for a keyset wrapped before purposes existed
     * ({@code pii-keys rewrap} binds one).
     */
    public static KeysetSource kmsEncrypted(
            String kmsKeyUri, Path encryptedKeysetFile, URI kmsEndpoint, String purpose) {
        AwsKmsAead.checkUri(kmsKeyUri);
        return new KeysetSource(encryptedKeysetFile, kmsKeyUri, kmsEndpoint, purpose);
    }

    public Path file() {
        return file;
    }

    public boolean isCleartext() {
        return kmsKeyUri == null;
    }

    /** Reads and parses the keyset. Errors name the file, never its content. */
    public KeysetHandle load() {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new PiiCryptoException("keyset file " + file + " does not exist");
        } catch (IOException e) {
            throw new PiiCryptoException(
                    "keyset file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (isCleartext()) {
            log.warn(
                    "Loading a CLEAR-TEXT keyset from {}: for development and tests only; "
                            + "use a KMS-encrypted keyset in production",
                    file);
            try {
                return TinkJsonProtoKeysetFormat.parseKeyset(
                        json, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
            } catch (GeneralSecurityException | RuntimeException e) {
                // no cause chained: parser messages may quote the file's content
                throw new PiiCryptoException("keyset file " + file + " is not a clear-text Tink JSON keyset");
            }
        }
        String expected = FROM_KEY_TYPE.equals(purpose) ? Keysets.purposeOf(json, file) : purpose;
        try (AwsKmsAead kek = AwsKmsAead.create(kmsKeyUri, kmsEndpoint, expected)) {
            return TinkJsonProtoKeysetFormat.parseEncryptedKeyset(json, kek, KEYSET_AD, RegistryConfiguration.get());
        } catch (PiiCryptoException e) {
            throw e;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PiiCryptoException("keyset file " + file + " is not a Tink JSON keyset encrypted with "
                    + kmsKeyUri + (expected == null ? " without a purpose" : " for purpose " + expected)
                    + " (" + safeReason(e) + ")");
        }
    }

    private static String safeReason(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && !(c instanceof KmsCallException)) {
            c = c.getCause();
        }
        return c instanceof KmsCallException ? c.getMessage() : e.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return isCleartext()
                ? "clear-text keyset " + file
                : "keyset " + file + " encrypted with " + kmsKeyUri
                        + (purpose == null
                                ? " (no purpose)"
                                : FROM_KEY_TYPE.equals(purpose) ? "" : " for purpose " + purpose);
    }
}
