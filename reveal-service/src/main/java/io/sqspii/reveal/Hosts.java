package io.sqspii.reveal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Host names and address literals, decided without DNS (a resolver's answer can be the attack). */
final class Hosts {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[0-9A-Za-z._-]+)?");

    private Hosts() {}

    /** The address of an IPv4 literal or an IPv6 literal (with or without brackets), else null. */
    static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!IPV4.matcher(h).matches() && !IPV6.matcher(h).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(h); // a literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** localhost, or a loopback address literal. */
    static boolean isLoopback(String host) {
        if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        InetAddress a = literal(host);
        return a != null && a.isLoopbackAddress();
    }
}
