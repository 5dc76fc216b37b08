package io.sqspii.pii.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.daead.DeterministicAeadConfig;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;

/**
 * Encrypts and decrypts single field values as text. Thread-safe; the Tink primitive is built once.
 * Associated data is {@code domain + "." + field} (e.g. {@code TABLE.FIELD}), so a ciphertext copied
 * into another column does not decrypt there and equal values in two columns do not correlate.
 * Ciphertext is base64url (no padding) of Tink's output, whose 5-byte key-id prefix makes rotation work.
 */
public final class PiiCipher {
    /** Length of an hmac token in bytes (full HMAC-SHA256 output). */
    static final int HMAC_BYTES = 32;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    static {
        registerTink();
    }

    static void registerTink() {
        try {
            DeterministicAeadConfig.register();
            AeadConfig.register();
            PrfConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CipherMode mode;
    private final String domain;
    private final boolean perField;
    private final DeterministicAead daead;
    private final Aead aead;
    private final PrfSet prf;

    private PiiCipher(KeysetHandle handle, CipherMode mode, String domain, boolean perField) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.domain = domain == null ? "" : domain;
        this.perField = perField;
        try {
            this.daead = mode == CipherMode.DETERMINISTIC
                    ? handle.getPrimitive(RegistryConfiguration.get(), DeterministicAead.class)
                    : null;
            this.aead =
                    mode == CipherMode.RANDOMIZED ? handle.getPrimitive(RegistryConfiguration.get(), Aead.class) : null;
            this.prf = mode == CipherMode.HMAC ? handle.getPrimitive(RegistryConfiguration.get(), PrfSet.class) : null;
        } catch (GeneralSecurityException e) {
            String found;
            try {
                found = Keysets.describe(handle).get(0).type();
            } catch (RuntimeException ignored) {
                found = "unknown";
            }
            throw new PiiCryptoException("keyset does not fit mode " + mode.configName() + ": expected "
                    + expectedType(mode) + " keys, found " + found);
        }
    }

    private static String expectedType(CipherMode mode) {
        return switch (mode) {
            case DETERMINISTIC -> "AES256_SIV";
            case RANDOMIZED -> "AES256_GCM";
            case HMAC -> "HMAC_SHA256_PRF";
        };
    }

    /** Loads the keyset and builds the primitive for the mode; associated data = {@code domain + "." + field}. */
    public static PiiCipher forKeyset(KeysetSource source, CipherMode mode, String domain) {
        return new PiiCipher(source.load(), mode, domain, true);
    }

    /** As {@link #forKeyset} but the associated data is {@code constant} for every field. */
    public static PiiCipher withConstantAssociatedData(KeysetSource source, CipherMode mode, String constant) {
        return new PiiCipher(source.load(), mode, constant, false);
    }

    /** For callers that already hold a keyset (tests, the CLI). */
    public static PiiCipher forHandle(KeysetHandle handle, CipherMode mode, String domain) {
        return new PiiCipher(handle, mode, domain, true);
    }

    /** For callers that already hold a keyset: {@code associatedData} is the AD of every field (the CLI's columns). */
    public static PiiCipher withConstantAssociatedData(KeysetHandle handle, CipherMode mode, String associatedData) {
        return new PiiCipher(handle, mode, associatedData, false);
    }

    /**
     * The id of the key that wrote a ciphertext, from Tink's 5-byte prefix (version byte 0x01 or legacy 0x00,
     * then the key id big-endian), or null when the text is not base64url or too short to carry one.
     */
    public static Integer keyIdOf(String ciphertext) {
        if (ciphertext == null || ciphertext.length() < 8) {
            return null;
        }
        byte[] head;
        try {
            head = B64D.decode(ciphertext.substring(0, 8)); // 8 base64 characters = 6 bytes, no padding needed
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (head[0] != 0x01 && head[0] != 0x00) {
            return null;
        }
        return ((head[1] & 0xff) << 24) | ((head[2] & 0xff) << 16) | ((head[3] & 0xff) << 8) | (head[4] & 0xff);
    }

    public CipherMode mode() {
        return mode;
    }

    /** The associated data bound to ciphertexts of this field. */
    public String associatedData(String field) {
        if (!perField) {
            return domain;
        }
        return domain.isEmpty() ? field : domain + "." + field;
    }

    public String encrypt(String field, String plaintext) {
        byte[] ad = associatedData(field).getBytes(StandardCharsets.UTF_8);
        byte[] pt = plaintext.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] out = switch (mode) {
                case DETERMINISTIC -> daead.encryptDeterministically(pt, ad);
                case RANDOMIZED -> aead.encrypt(pt, ad);
                case HMAC -> prf.computePrimary(hmacInput(ad, pt), HMAC_BYTES);
            };
            return B64.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new PiiCryptoException("cannot " + mode.configName() + "-encrypt field " + field);
        }
    }

    /** hmac: AD, a zero byte, then the value, so tokens of different fields differ for equal values. */
    private static byte[] hmacInput(byte[] ad, byte[] pt) {
        byte[] in = new byte[ad.length + 1 + pt.length];
        System.arraycopy(ad, 0, in, 0, ad.length);
        System.arraycopy(pt, 0, in, ad.length + 1, pt.length);
        return in;
    }

    public String decrypt(String field, String ciphertext) {
        if (mode == CipherMode.HMAC) {
            throw new PiiCryptoException(
                    "hmac tokens of field " + field + " cannot be decrypted (irreversible by design)");
        }
        byte[] ct;
        try {
            ct = B64D.decode(ciphertext);
        } catch (IllegalArgumentException e) {
            throw new PiiCryptoException("value of field " + field + " is not base64url ciphertext");
        }
        byte[] ad = associatedData(field).getBytes(StandardCharsets.UTF_8);
        try {
            byte[] pt =
                    mode == CipherMode.DETERMINISTIC ? daead.decryptDeterministically(ct, ad) : aead.decrypt(ct, ad);
            return new String(pt, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new PiiCryptoException("cannot decrypt field " + field + " with associated data '"
                    + associatedData(field) + "' (wrong key, wrong field/domain, or tampered ciphertext)");
        }
    }
}
