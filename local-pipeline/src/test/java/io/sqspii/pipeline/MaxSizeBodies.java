package io.sqspii.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Message bodies of exactly a given number of UTF-8 bytes (SQS's maximum in the fault suite), valid and invalid,
 * each growing differently on its way to Kafka: an encrypted field, a clear field of 2-byte characters, a clear
 * field of JSON escapes, and dead letters (ASCII, 4-byte characters, a valid object missing a field).
 */
final class MaxSizeBodies {

    private static final String LOGIN_HEAD =
            "{\"user_id\":\"b7f0a3c2-6d1e-4f5a-9c8b-2e4d6f8a0b1c\",\"app_version\":\"2.3.0\","
                    + "\"device_type\":\"android\",\"ip\":\"203.0.113.9\",\"locale\":\"RU\",";

    private MaxSizeBodies() {}

    static List<String> all(int bytes) {
        return List.of(
                validWithHugeDeviceId(bytes),
                validWithHugeUserIdOfTwoByteChars(bytes),
                validWithUserIdOfEscapes(bytes),
                truncatedJson(bytes),
                fourByteCharactersNoJson(bytes),
                validJsonMissingAField(bytes));
    }

    /** Valid; device_id is encrypted deterministically, so the record grows by a third (base64url). */
    static String validWithHugeDeviceId(int bytes) {
        String head = LOGIN_HEAD + "\"device_id\":\"";
        return head + fill("d", bytes - utf8(head) - 2) + "\"}";
    }

    /** Valid; a clear user_id of 'é' (2 bytes each) written as raw UTF-8 again. */
    static String validWithHugeUserIdOfTwoByteChars(int bytes) {
        String tail =
                "\",\"app_version\":\"2.3.0\",\"device_type\":\"ios\",\"ip\":\"198.51.100.7\",\"device_id\":\"x-1\"}";
        String head = "{\"user_id\":\"";
        int room = bytes - utf8(head) - utf8(tail);
        return head + fill("é", room / 2) + fill("u", room % 2) + tail;
    }

    /** Valid; a clear user_id of JSON escapes (\u0001: 6 bytes in, one character, 6 bytes again in Kafka). */
    static String validWithUserIdOfEscapes(int bytes) {
        String tail =
                "\",\"app_version\":\"2.3.0\",\"device_type\":\"ios\",\"ip\":\"198.51.100.8\",\"device_id\":\"x-2\"}";
        String head = "{\"user_id\":\"";
        int room = bytes - utf8(head) - utf8(tail);
        return head + fill("\\u0001", room / 6) + fill("v", room % 6) + tail;
    }

    /** Invalid: JSON cut off in the middle of a string. */
    static String truncatedJson(int bytes) {
        String head = LOGIN_HEAD + "\"device_id\":\"";
        return head + fill("t", bytes - utf8(head));
    }

    /** Invalid: not JSON at all, 4-byte characters (a surrogate pair each in Java). */
    static String fourByteCharactersNoJson(int bytes) {
        String emoji = "\uD83D\uDE00";
        return fill(emoji, bytes / 4) + fill("z", bytes % 4);
    }

    /** Invalid: a well-formed object without device_id. */
    static String validJsonMissingAField(int bytes) {
        String head = "{\"user_id\":\"";
        String tail = "\",\"app_version\":\"2.3.0\",\"device_type\":\"web\",\"ip\":\"192.0.2.1\"}";
        return head + fill("m", bytes - utf8(head) - utf8(tail)) + tail;
    }

    private static String fill(String unit, int times) {
        return unit.repeat(Math.max(0, times));
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
