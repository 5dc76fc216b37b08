package io.sqspii.sqs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Task/connector configs of the tests, against test-support's embedded ElasticMQ. */
final class SourceProps {

    private SourceProps() {}

    /** The user_logins dataset's event schema (datasets/user_logins/event.schema.json, PII annotated). */
    static String schemaFile() {
        Path file =
                Path.of(System.getProperty("user.dir")).getParent().resolve("datasets/user_logins/event.schema.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + file + ": run the tests from the sqs-source-connector module");
        }
        return file.toString();
    }

    /** A working task/connector config for {@code queueUrl}, tuned for quick tests. */
    static Map<String, String> of(String queueUrl) {
        Map<String, String> p = new HashMap<>();
        p.put("name", "sqs-test-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(SqsSourceConfig.QUEUE_URL, queueUrl);
        p.put(SqsSourceConfig.REGION, "us-east-1");
        p.put(SqsSourceConfig.ACCESS_KEY_ID, "x");
        p.put(SqsSourceConfig.SECRET_ACCESS_KEY, "x");
        p.put(SqsSourceConfig.TOPIC, "user-logins");
        p.put(SqsSourceConfig.DLQ_TOPIC, "user-logins.dlq");
        p.put(SqsSourceConfig.VALUE_SCHEMA_FILE, schemaFile());
        p.put(SqsSourceConfig.WAIT_TIME_SECONDS, "1");
        p.put(SqsSourceConfig.SHUTDOWN_GRACE_MS, "500");
        p.put(SqsSourceConfig.RETRY_BACKOFF_MS, "50");
        p.put(SqsSourceConfig.RETRY_BACKOFF_MAX_MS, "500");
        return p;
    }
}
