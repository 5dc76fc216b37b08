package io.sqspii.connect.policy;

import java.util.List;
import java.util.Optional;

/**
 * The datasets a source may write, as the PII catalog (public.pii_datasets, public.pii_columns, written by
 * {@code dataset apply}) records them: which topics belong to which dataset, which queue feeds it and which of its
 * fields the source must encrypt, and how.
 */
interface DatasetCatalog {

    /** The dataset whose topic or dead-letter topic is {@code topic}, if any. */
    Optional<Dataset> byTopic(String topic) throws UnavailableException;

    /**
     * One dataset. {@code fields}: each PII value of its rows, by the path the PII transform names it with
     * ({@code customer.email}, {@code items[].holder_name}) and its mode.
     */
    record Dataset(String name, String queue, String topic, String deadLetterTopic, List<Field> fields) {
        public Dataset {
            fields = List.copyOf(fields);
        }
    }

    record Field(String path, String mode) {}

    /** The catalog could not be read: the policy refuses what it cannot check. */
    final class UnavailableException extends Exception {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
