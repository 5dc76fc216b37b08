package io.sqspii.inspector.testing;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Login rows for the UI tests and the screenshot: plain values and what was stored for them. */
public final class SeedData {

    public static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 2, 8, 0, 0, 0, ZoneOffset.UTC);
    public static final String SHARED_DEVICE = "593-47-5928";
    public static final String SHARED_IP = "199.172.111.135";

    /** One seeded login: the clear values (kept only by the test) and the stored ciphertexts. */
    public record Login(
            String messageId,
            String userId,
            String deviceType,
            String ip,
            String deviceId,
            String locale,
            String appVersion,
            OffsetDateTime createDate,
            String maskedIp,
            String maskedDeviceId) {}

    private SeedData() {}

    /**
     * Inserts {@code n} logins; rows 3, 8 and 13 share {@link #SHARED_DEVICE} (two users), rows 4 and
     * 9 share {@link #SHARED_IP}. {@code mask} gets (field, plaintext) and returns the stored value.
     */
    public static List<Login> logins(TestDb db, int n, BiFunction<String, String, String> mask) throws SQLException {
        String[] devices = {"android", "ios", "web"};
        String[] locales = {"RU", "EN", "DE", "FR", null};
        String[] versions = {"2.3.0", "2.4.1", "2.10.0"};
        List<Login> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String device = (i == 3 || i == 8 || i == 13)
                    ? SHARED_DEVICE
                    : String.format("%03d-%02d-%04d", 100 + i, i, 1000 + 7 * i);
            String ip = (i == 4 || i == 9) ? SHARED_IP : "10.0." + (i / 10) + "." + (i % 10 + 1);
            String user = String.format("%08x-4f1e-4c2a-9b7d-%012d", 0x424cdd21 + (i % 7), i % 7);
            Login l = new Login(
                    String.format("msg-%04d", i),
                    user,
                    devices[i % 3],
                    ip,
                    device,
                    locales[i % 5],
                    versions[i % 3],
                    T0.plusMinutes(7L * i),
                    mask.apply("ip", ip),
                    mask.apply("device_id", device));
            db.insertLogin(
                    l.messageId(),
                    l.userId(),
                    l.deviceType(),
                    l.maskedIp(),
                    l.maskedDeviceId(),
                    l.locale(),
                    l.appVersion(),
                    l.createDate());
            out.add(l);
        }
        return out;
    }
}
