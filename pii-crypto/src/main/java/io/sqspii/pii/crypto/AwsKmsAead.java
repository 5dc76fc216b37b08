package io.sqspii.pii.crypto;

import com.google.crypto.tink.Aead;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * Tink {@link Aead} backed by an AWS KMS key through AWS SDK v2 (Tink's own tink-awskms is on SDK v1).
 * Same wire behaviour as Tink's AwsKmsAead: associated data goes into the KMS encryption context
 * (hex, key {@code associatedData}) and Decrypt names the key, so a ciphertext of another key is refused.
 * A purpose (e.g. {@code pii-deterministic}) adds {@code "purpose"} to the context: KMS then decrypts a
 * keyset only for the purpose it was wrapped for, and a key policy can tell purposes apart
 * ({@code kms:EncryptionContext:purpose}).
 */
final class AwsKmsAead implements Aead, AutoCloseable {
    static final String PREFIX = "aws-kms://";

    private final KmsClient kms;
    private final String keyArn;
    private final String purpose;

    AwsKmsAead(KmsClient kms, String keyArn, String purpose) {
        this.kms = kms;
        this.keyArn = keyArn;
        this.purpose = purpose;
    }

    static void checkUri(String uri) {
        if (uri == null
                || !uri.startsWith(PREFIX)
                || !uri.substring(PREFIX.length()).startsWith("arn:")
                || uri.substring(PREFIX.length()).split(":", -1).length < 6) {
            throw new PiiCryptoException(
                    "KMS key URI must look like aws-kms://arn:aws:kms:<region>:<account>:key/<id>, got '" + uri + "'");
        }
    }

    /**
     * A client for the key's region (from its ARN), default credential chain, the light url-connection HTTP
     * client; {@code purpose} null for a keyset wrapped without one (before purposes existed).
     */
    static AwsKmsAead create(String uri, URI endpoint, String purpose) {
        checkUri(uri);
        String arn = uri.substring(PREFIX.length());
        String region = arn.split(":", -1)[3];
        KmsClientBuilder b =
                KmsClient.builder().region(Region.of(region)).httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return new AwsKmsAead(b.build(), arn, purpose);
    }

    private Map<String, String> context(byte[] associatedData) {
        Map<String, String> ctx = new TreeMap<>();
        if (associatedData != null && associatedData.length > 0) {
            ctx.put("associatedData", HexFormat.of().formatHex(associatedData));
        }
        if (purpose != null) {
            ctx.put("purpose", purpose);
        }
        return ctx;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        try {
            return kms.encrypt(r -> r.keyId(keyArn)
                            .plaintext(SdkBytes.fromByteArray(plaintext))
                            .encryptionContext(context(associatedData)))
                    .ciphertextBlob()
                    .asByteArray();
        } catch (KmsException e) {
            throw new KmsCallException("KMS Encrypt failed: " + errorCode(e));
        } catch (SdkException e) {
            throw new KmsCallException("KMS Encrypt failed: " + clientReason(e));
        }
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        DecryptResponse r;
        try {
            r = kms.decrypt(d -> d.keyId(keyArn)
                    .ciphertextBlob(SdkBytes.fromByteArray(ciphertext))
                    .encryptionContext(context(associatedData)));
        } catch (KmsException e) {
            throw new KmsCallException("KMS Decrypt failed: " + errorCode(e));
        } catch (SdkException e) {
            throw new KmsCallException("KMS Decrypt failed: " + clientReason(e));
        }
        if (r.keyId() != null && !r.keyId().equals(keyArn) && !keyArn.contains(":alias/")) {
            throw new KmsCallException("KMS Decrypt used another key than " + keyArn);
        }
        return r.plaintext().asByteArray();
    }

    /** Client-side failures (credentials, connection): the SDK's message names the cause, never a payload. */
    private static String clientReason(SdkException e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        return e.getClass().getSimpleName() + ": " + (m.length() > 300 ? m.substring(0, 300) + "..." : m);
    }

    private static String errorCode(KmsException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode() + " (HTTP " + e.statusCode() + ")"
                : "HTTP " + e.statusCode();
    }

    @Override
    public void close() {
        kms.close();
    }
}
