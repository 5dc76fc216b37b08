package io.sqspii.pii;

import org.apache.kafka.connect.errors.DataException;

/**
 * A field value whose canonical form outgrew its bound. The message names the field and the sizes, never the
 * value; with {@code oversize.dead.letter.topic} the record becomes a dead-letter record instead of failing.
 */
final class OversizeValueException extends DataException {
    private static final long serialVersionUID = 1L;

    OversizeValueException(String message) {
        super(message);
    }
}
