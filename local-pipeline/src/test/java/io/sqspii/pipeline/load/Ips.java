package io.sqspii.pipeline.load;

import java.util.Random;

/** Random public-looking IP addresses, always printed in their canonical text form. */
final class Ips {

    /** First groups of real, routed IPv6 allocations (RIPE, ARIN, LACNIC, APNIC). */
    private static final int[] V6_PREFIXES = {0x2001, 0x2a02, 0x2600, 0x2804, 0x240e};

    private Ips() {}

    /** A dotted-quad IPv4 address outside 0/8, 10/8, 127/8 and the multicast/reserved ranges. */
    static String ipv4(Random rnd) {
        int first;
        do {
            first = 1 + rnd.nextInt(223);
        } while (first == 10 || first == 127);
        return first + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
    }

    /** An IPv6 address with some zero groups, so that the canonical form often compresses a run. */
    static String ipv6(Random rnd) {
        int[] groups = new int[8];
        groups[0] = V6_PREFIXES[rnd.nextInt(V6_PREFIXES.length)];
        for (int i = 1; i < 8; i++) {
            groups[i] = rnd.nextInt(10) < 3 ? 0 : rnd.nextInt(0x10000);
        }
        if (groups[7] == 0) {
            groups[7] = 1 + rnd.nextInt(0xffff);
        }
        return canonicalIpv6(groups);
    }

    /**
     * RFC 5952 text: lowercase hex without leading zeros; the longest run of two or more zero groups (the first on
     * a tie) becomes "::"; a single zero group stays "0".
     */
    static String canonicalIpv6(int[] groups) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
