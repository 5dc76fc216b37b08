package io.sqspii.pipeline.load;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A small synthetic population — users, their devices and the addresses they log in from — drawn once from a
 * seeded {@link Random}, then sampled for each login. Pools are much smaller than the message count, so device
 * ids and IPs repeat (across users too), which is what the deterministic encryption must keep joinable.
 */
final class LoginPool {

    private static final String[] VERSIONS = {"2.3.0", "2.4.1", "3.0.0", "3.1.2"};
    private static final String[] TYPES = {"android", "ios", "web"};
    private static final String[] LOCALES = {"RU", "US", "DE", "BR", "IN", "FR", "JP", "GB", "TR", "ES", "PL", "NL"};

    private record Device(String id, String type, String appVersion) {}

    private record User(String id, List<Device> devices, List<String> ips, String locale) {}

    private final Random rnd;
    private final List<User> users = new ArrayList<>();
    private final List<String> ips = new ArrayList<>();

    /** A population sized for {@code count} logins: about one user per 20 logins, at least 5. */
    LoginPool(Random rnd, int count) {
        this.rnd = rnd;
        int userCount = Math.max(5, count / 20);
        for (int i = 0, n = Math.max(8, userCount); i < n; i++) {
            // One address in seven is IPv6, placed so that even a small pool has one.
            ips.add(i % 7 == 3 ? Ips.ipv6(rnd) : Ips.ipv4(rnd));
        }
        List<Device> devices = new ArrayList<>();
        Set<String> deviceIds = new HashSet<>();
        for (int u = 0; u < userCount; u++) {
            List<Device> own = new ArrayList<>();
            for (int d = 0, n = 1 + rnd.nextInt(3); d < n; d++) {
                // One device in ten is shared with an earlier user: a family tablet, a shop's kiosk.
                Device device = !devices.isEmpty() && rnd.nextInt(10) == 0
                        ? devices.get(rnd.nextInt(devices.size()))
                        : newDevice(deviceIds);
                if (!own.contains(device)) {
                    own.add(device);
                    devices.add(device);
                }
            }
            List<String> home = List.of(ips.get(rnd.nextInt(ips.size())), ips.get(rnd.nextInt(ips.size())));
            users.add(new User(uuid(), own, home, LOCALES[rnd.nextInt(LOCALES.length)]));
        }
    }

    /** The next login: a user (a few are much more active), one of their devices, usually a home address. */
    ObjectNode next() {
        User user = users.get((int) (Math.pow(rnd.nextDouble(), 1.5) * users.size()));
        Device device = user.devices().get(rnd.nextInt(user.devices().size()));
        String ip = rnd.nextInt(5) == 0
                ? ips.get(rnd.nextInt(ips.size()))
                : user.ips().get(rnd.nextInt(2));
        ObjectNode login = JsonNodeFactory.instance.objectNode();
        login.put("user_id", user.id());
        login.put("app_version", device.appVersion());
        login.put("device_type", device.type());
        login.put("ip", ip);
        int l = rnd.nextInt(100);
        if (l < 10) {
            login.putNull("locale");
        } else if (l >= 13) {
            login.put("locale", user.locale());
        } // else: no locale key at all, as older app versions send
        login.put("device_id", device.id());
        return login;
    }

    /** A random IPv4 address as the unsigned 32-bit number some producers send instead of text. */
    long ipv4Number() {
        return Integer.toUnsignedLong(rnd.nextInt());
    }

    private Device newDevice(Set<String> taken) {
        String id;
        do {
            id = String.format(
                    Locale.ROOT, "%03d-%02d-%04d", 100 + rnd.nextInt(900), 10 + rnd.nextInt(90), rnd.nextInt(10000));
        } while (!taken.add(id));
        return new Device(id, TYPES[rnd.nextInt(TYPES.length)], VERSIONS[rnd.nextInt(VERSIONS.length)]);
    }

    private String uuid() {
        // A version-4 UUID from the seeded generator (UUID.randomUUID() would not be reproducible).
        long msb = (rnd.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (rnd.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(msb, lsb).toString();
    }
}
