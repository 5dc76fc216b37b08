package io.sqspii.pii.crypto;

import java.util.Locale;

/** IP literal parsing without {@link java.net.InetAddress} (which may resolve names and differs on leading zeros). */
final class IpCanonical {
    private IpCanonical() {}

    /** Dotted quad of decimal parts 0..255 without leading zeros (ambiguous: octal to inet_aton), or null. */
    static String ipv4(String s) {
        int[] parts = parseV4(s);
        if (parts == null) {
            return null;
        }
        return parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3];
    }

    private static int[] parseV4(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) {
            return null;
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            if (p[i].isEmpty() || p[i].length() > 3 || (p[i].length() > 1 && p[i].charAt(0) == '0')) {
                return null;
            }
            int v = 0;
            for (char c : p[i].toCharArray()) {
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            out[i] = v;
        }
        return out;
    }

    /** RFC 5952 text of an IPv6 literal (IPv4-mapped ones as plain IPv4), or null. */
    static String ipv6(String s) {
        if (s.indexOf(':') < 0 || s.indexOf('%') >= 0) {
            return null;
        }
        int[] groups = new int[8];
        String head;
        String tail;
        int dc = s.indexOf("::");
        if (dc >= 0) {
            if (s.indexOf("::", dc + 1) >= 0) {
                return null;
            }
            head = s.substring(0, dc);
            tail = s.substring(dc + 2);
        } else {
            head = s;
            tail = null;
        }
        // an embedded IPv4 address may only be the last 32 bits: "1.2.3.4::" is not an address
        int[] h = groups(head, tail == null);
        int[] t = tail == null ? new int[0] : groups(tail, true);
        if (h == null || t == null) {
            return null;
        }
        if (tail == null ? h.length != 8 : h.length + t.length > 7) {
            return null;
        }
        System.arraycopy(h, 0, groups, 0, h.length);
        System.arraycopy(t, 0, groups, 8 - t.length, t.length);
        if (groups[0] == 0
                && groups[1] == 0
                && groups[2] == 0
                && groups[3] == 0
                && groups[4] == 0
                && groups[5] == 0xffff) {
            return (groups[6] >> 8) + "." + (groups[6] & 0xff) + "." + (groups[7] >> 8) + "." + (groups[7] & 0xff);
        }
        // longest run of >= 2 zero groups, first one on ties
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] == 0) {
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Colon-separated hex groups; a trailing dotted quad (where allowed) counts as two groups. */
    private static int[] groups(String part, boolean v4Allowed) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] p = part.split(":", -1);
        int n = p.length;
        boolean v4Tail = p[n - 1].indexOf('.') >= 0;
        if (v4Tail && !v4Allowed) {
            return null;
        }
        int[] out = new int[v4Tail ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            if (v4Tail && i == n - 1) {
                int[] q = parseV4(p[i]);
                if (q == null) {
                    return null;
                }
                out[i] = (q[0] << 8) | q[1];
                out[i + 1] = (q[2] << 8) | q[3];
                break;
            }
            if (p[i].isEmpty() || p[i].length() > 4 || !p[i].chars().allMatch(IpCanonical::asciiHex)) {
                return null;
            }
            out[i] = Integer.parseInt(p[i], 16);
        }
        return out;
    }

    /** Only ASCII hex digits: Integer.parseInt would also take other scripts' digits and a sign. */
    private static boolean asciiHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
