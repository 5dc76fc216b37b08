package io.sqspii.pipeline;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.testsupport.DevKeys;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The rows the pipeline wrote, read back as the tests compare them with what was sent. */
final class PipelineRows {

    record Login(
            String messageId,
            String userId,
            String deviceType,
            String maskedIp,
            String maskedDeviceId,
            String locale,
            String appVersion,
            Instant createDate) {}

    record Rejected(String messageId, String error, String encryptedBody, Instant createDate) {}

    private PipelineRows() {}

    static Map<String, Login> logins(PipelineDatabase db) throws SQLException {
        Map<String, Login> rows = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT message_id, user_id, device_type, masked_ip, masked_device_id, locale,"
                                + " app_version, create_date FROM user_logins")) {
            while (r.next()) {
                rows.put(
                        r.getString(1),
                        new Login(
                                r.getString(1),
                                r.getString(2),
                                r.getString(3),
                                r.getString(4),
                                r.getString(5),
                                r.getString(6),
                                r.getString(7),
                                r.getTimestamp(8).toInstant()));
            }
        }
        return rows;
    }

    static Map<String, Rejected> rejected(PipelineDatabase db) throws SQLException {
        Map<String, Rejected> rows = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT message_id, error, encrypted_body, create_date FROM user_logins_rejected")) {
            while (r.next()) {
                rows.put(
                        r.getString(1),
                        new Rejected(
                                r.getString(1),
                                r.getString(2),
                                r.getString(3),
                                r.getTimestamp(4).toInstant()));
            }
        }
        return rows;
    }

    /** Every column of both tables as text, for "no clear PII here" checks. */
    static String dump(PipelineDatabase db) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            for (String table : new String[] {"user_logins", "user_logins_rejected"}) {
                try (ResultSet r = s.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (r.next()) {
                        out.append(r.getString(1)).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    /** The crypto core with the dev keysets the local pipeline's connectors use. */
    static PiiCipher loginsCipher() {
        return PiiCipher.forKeyset(
                KeysetSource.cleartextFile(DevKeys.file(DevKeys.DETERMINISTIC)),
                CipherMode.DETERMINISTIC,
                "user_logins");
    }

    static PiiCipher rejectedCipher() {
        return PiiCipher.forKeyset(
                KeysetSource.cleartextFile(DevKeys.file(DevKeys.RANDOMIZED)),
                CipherMode.RANDOMIZED,
                "user_logins_rejected");
    }
}
