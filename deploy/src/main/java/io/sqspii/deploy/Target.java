package io.sqspii.deploy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A platform the recipes deploy to, as the values that take the place of the worker's providers: each
 * {@code ${env:...}} and {@code ${file:...}} reference of connect-config/connectors/ becomes the platform's
 * secret, config map or path (by reference name, so a new dataset needs no edit here), each keyset
 * ({@code ${env:PII_<KEYSET>_KEYSET}}) its file, and each keyset gets the platform's KMS key.
 */
record Target(Map<String, String> references, String keysetFile, String kmsKeyUri) {

    static final String NAMESPACE = "sqs-pii-connect";
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012";

    /** Strimzi's Kubernetes config providers; the pii-keysets Secret is mounted, one file per keyset. */
    static final Target STRIMZI = new Target(
            Map.of(
                    "env:SQS_QUEUE_URL_BASE", "${configmaps:" + NAMESPACE + "/pipeline-endpoints:sqs.queue.url.base}",
                    "env:JDBC_URL", "${configmaps:" + NAMESPACE + "/pipeline-endpoints:jdbc.url}",
                    "env:JDBC_USER", "${secrets:" + NAMESPACE + "/pipeline-db:username}",
                    "file:/opt/connect/secrets/jdbc.properties:password",
                            "${secrets:" + NAMESPACE + "/pipeline-db:password}"),
            "/mnt/pii-keysets/pii-%s.json",
            "${configmaps:" + NAMESPACE + "/pipeline-endpoints:pii.kms.key.uri}");

    /**
     * AWS's MSK config providers: Secrets Manager for the login; a keyset is downloaded from S3 by the s3import
     * provider to a local file whose path the SMT reads.
     */
    static final Target MSK_CONNECT = new Target(
            Map.of(
                    "env:SQS_QUEUE_URL_BASE",
                    "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT,
                    "env:JDBC_URL",
                    "${secretsmanager:sqs-pii-connect/pipeline-db:jdbc_url}",
                    "env:JDBC_USER",
                    "${secretsmanager:sqs-pii-connect/pipeline-db:username}",
                    "file:/opt/connect/secrets/jdbc.properties:password",
                    "${secretsmanager:sqs-pii-connect/pipeline-db:password}"),
            "${s3import:" + REGION + ":sqs-pii-connect-config/keysets/pii-%s.json}",
            "aws-kms://arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab");

    /** The key of an SMT's keyset file; a deployment adds the KMS key next to it (prefix + KEYSET_KMS_URI). */
    static final String KEYSET_FILE = ".keyset.file";

    static final String KEYSET_KMS_URI = ".keyset.kms.uri";
    /** The dev keysets are clear text; a deployment reads KMS-encrypted ones only. */
    static final String KEYSET_ALLOW_CLEARTEXT = ".keyset.allow.cleartext";

    /** A reference to the env or file provider of connect-config/worker.properties. */
    static final Pattern WORKER_REFERENCE = Pattern.compile("\\$\\{((env|file):[^}]*)}");

    private static final Pattern KEYSET = Pattern.compile("env:PII_([A-Z0-9_]+)_KEYSET");

    /** A connector config of connect-config/connectors/ as this platform runs it, in the same key order. */
    Map<String, String> deployed(Map<String, String> config) {
        Map<String, String> out = new LinkedHashMap<>();
        config.forEach((key, value) -> {
            out.put(key, key.endsWith(KEYSET_ALLOW_CLEARTEXT) ? "false" : resolve(key, value));
            if (key.endsWith(KEYSET_FILE)) {
                out.put(key.substring(0, key.length() - KEYSET_FILE.length()) + KEYSET_KMS_URI, kmsKeyUri);
            }
        });
        return out;
    }

    private String resolve(String key, String value) {
        return WORKER_REFERENCE.matcher(value).replaceAll(m -> {
            String ref = m.group(1);
            Matcher keyset = KEYSET.matcher(ref);
            String replacement = keyset.matches()
                    ? keysetFile.formatted(keyset.group(1).toLowerCase(Locale.ROOT))
                    : references.get(ref);
            if (replacement == null) {
                throw new IllegalArgumentException(
                        "no deployment value for ${" + ref + "} (" + key + "): add it to " + Target.class.getName());
            }
            return Matcher.quoteReplacement(replacement);
        });
    }
}
