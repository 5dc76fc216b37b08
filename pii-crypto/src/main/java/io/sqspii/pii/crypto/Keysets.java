package io.sqspii.pii.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.daead.AesSivKey;
import com.google.crypto.tink.daead.PredefinedDeterministicAeadParameters;
import com.google.crypto.tink.prf.HmacPrfKey;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Keyset generation, rotation and description (used by the pii-keys CLI and tests). */
public final class Keysets {
    static {
        PiiCipher.registerTink();
    }

    private Keysets() {}

    /** One key, as {@link #describe} shows it: never key material. */
    public record KeyInfo(int id, String type, String status, boolean primary) {}

    /** The Tink parameters each mode uses. */
    static Parameters parametersFor(CipherMode mode) {
        return switch (mode) {
            case DETERMINISTIC -> PredefinedDeterministicAeadParameters.AES256_SIV;
            case RANDOMIZED -> PredefinedAeadParameters.AES256_GCM;
            case HMAC -> PredefinedPrfParameters.HMAC_SHA256_PRF;
        };
    }

    /** A new keyset with one fresh primary key for the mode. */
    public static KeysetHandle generate(CipherMode mode) {
        try {
            return KeysetHandle.generateNew(parametersFor(mode), RegistryConfiguration.get());
        } catch (GeneralSecurityException e) {
            throw new PiiCryptoException("cannot generate a " + mode.configName() + " keyset", e);
        }
    }

    /** The keyset with a new key of the primary's type made primary; old keys stay for decryption. */
    public static KeysetHandle rotate(KeysetHandle handle) {
        try {
            Parameters params = handle.getPrimary().getKey().getParameters();
            KeysetHandle.Builder b = KeysetHandle.newBuilder(handle);
            b.addEntry(KeysetHandle.generateEntryFromParameters(params)
                    .withRandomId()
                    .makePrimary());
            return b.build();
        } catch (GeneralSecurityException e) {
            throw new PiiCryptoException("cannot rotate the keyset", e);
        }
    }

    /** The keyset without the key {@code keyId}; never the primary (it encrypts everything new). */
    public static KeysetHandle remove(KeysetHandle handle, int keyId) {
        if (handle.getPrimary().getId() == keyId) {
            throw new PiiCryptoException(
                    "key " + Integer.toUnsignedLong(keyId) + " is the primary key: it cannot be retired");
        }
        KeysetHandle.Builder b = KeysetHandle.newBuilder(handle);
        for (int i = 0; i < b.size(); i++) {
            if (handle.getAt(i).getId() == keyId) { // the builder keeps the handle's order
                b.deleteAt(i);
                try {
                    return b.build();
                } catch (GeneralSecurityException e) {
                    throw new PiiCryptoException("cannot remove key " + Integer.toUnsignedLong(keyId), e);
                }
            }
        }
        throw new PiiCryptoException("the keyset has no key " + Integer.toUnsignedLong(keyId));
    }

    /** Key ids, types, status and which is primary. */
    public static List<KeyInfo> describe(KeysetHandle handle) {
        List<KeyInfo> out = new ArrayList<>();
        for (int i = 0; i < handle.size(); i++) {
            KeysetHandle.Entry e = handle.getAt(i);
            out.add(new KeyInfo(e.getId(), typeName(e.getKey()), e.getStatus().toString(), e.isPrimary()));
        }
        return out;
    }

    /** The mode a keyset serves, from its primary key's type. */
    public static CipherMode modeOf(KeysetHandle handle) {
        Key k = handle.getPrimary().getKey();
        if (k instanceof AesSivKey) {
            return CipherMode.DETERMINISTIC;
        }
        if (k instanceof AesGcmKey) {
            return CipherMode.RANDOMIZED;
        }
        if (k instanceof HmacPrfKey) {
            return CipherMode.HMAC;
        }
        throw new PiiCryptoException("keyset primary key type " + typeName(k) + " is not used by any mode");
    }

    private static String typeName(Key k) {
        if (k instanceof AesSivKey s) {
            return "AES" + s.getParameters().getKeySizeBytes() / 2 * 8 + "_SIV";
        }
        if (k instanceof AesGcmKey g) {
            return "AES" + g.getParameters().getKeySizeBytes() * 8 + "_GCM";
        }
        if (k instanceof HmacPrfKey h) {
            return "HMAC_" + h.getParameters().getHashType() + "_PRF";
        }
        return k.getClass().getSimpleName();
    }

    /** Writes a clear-text JSON keyset (dev/test only), atomically, owner-readable only where supported. */
    public static void writeCleartext(KeysetHandle handle, Path out) {
        try {
            write(
                    TinkJsonProtoKeysetFormat.serializeKeyset(
                            handle, RegistryConfiguration.get(), InsecureSecretKeyAccess.get()),
                    out);
        } catch (GeneralSecurityException e) {
            throw new PiiCryptoException("cannot serialize the keyset", e);
        }
    }

    /** The purpose a keyset of this mode is wrapped for: the KMS encryption context {@code purpose}. */
    public static String purposeOf(CipherMode mode) {
        return "pii-" + mode.configName();
    }

    private static final Pattern TYPE_URL =
            Pattern.compile("\"typeUrl\"\\s*:\\s*\"type\\.googleapis\\.com/google\\.crypto\\.tink\\.(\\w+)\"");

    /**
     * The purpose of an encrypted keyset file from its unencrypted keyset info (the key types Tink writes
     * next to the ciphertext): for tools that do not know the mode. KMS still refuses a wrong guess.
     */
    static String purposeOf(String encryptedKeysetJson, Path file) {
        Set<CipherMode> modes = new HashSet<>();
        Matcher m = TYPE_URL.matcher(encryptedKeysetJson);
        while (m.find()) {
            switch (m.group(1)) {
                case "AesSivKey" -> modes.add(CipherMode.DETERMINISTIC);
                case "AesGcmKey" -> modes.add(CipherMode.RANDOMIZED);
                case "HmacPrfKey" -> modes.add(CipherMode.HMAC);
                default ->
                    throw new PiiCryptoException(
                            "keyset file " + file + " holds keys of type " + m.group(1) + ", which no mode uses");
            }
        }
        if (modes.size() != 1) {
            throw new PiiCryptoException("cannot tell the purpose of keyset file " + file + " from its key types "
                    + modes + ": name it (pii-keys --purpose)");
        }
        return purposeOf(modes.iterator().next());
    }

    /**
     * Writes the keyset encrypted with an AWS KMS key (envelope: only KMS can unwrap it), bound to the
     * purpose of its mode ({@link #purposeOf(CipherMode)}).
     */
    public static void writeKmsEncrypted(KeysetHandle handle, String kmsKeyUri, URI kmsEndpoint, Path out) {
        writeKmsEncrypted(handle, kmsKeyUri, kmsEndpoint, purposeOf(modeOf(handle)), out);
    }

    /** As {@link #writeKmsEncrypted(KeysetHandle, String, URI, Path)} for an explicit purpose (null: none, legacy). */
    public static void writeKmsEncrypted(
            KeysetHandle handle, String kmsKeyUri, URI kmsEndpoint, String purpose, Path out) {
        try (AwsKmsAead kek = AwsKmsAead.create(kmsKeyUri, kmsEndpoint, purpose)) {
            write(
                    TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(
                            handle, kek, KeysetSource.KEYSET_AD, RegistryConfiguration.get()),
                    out);
        } catch (PiiCryptoException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new PiiCryptoException("cannot encrypt the keyset with " + kmsKeyUri
                    + (e instanceof KmsCallException ? " (" + e.getMessage() + ")" : ""));
        }
    }

    private static void write(String json, Path out) {
        try {
            Path abs = out.toAbsolutePath();
            Path dir = abs.getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".keyset", ".tmp");
            try {
                tmp.toFile().setReadable(false, false);
                tmp.toFile().setReadable(true, true);
                Files.writeString(tmp, json + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new PiiCryptoException(
                    "cannot write keyset file " + out + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
