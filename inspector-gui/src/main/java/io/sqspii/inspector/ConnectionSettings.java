package io.sqspii.inspector;

import java.util.Arrays;

/**
 * What the connect dialog collects. The password lives only in memory: it is handed to the driver
 * and then wiped ({@link #wipePassword()}); it is never stored in preferences or anywhere on disk.
 */
final class ConnectionSettings {
    private final String url;
    private final String user;
    private final char[] password;

    ConnectionSettings(String url, String user, char[] password) {
        this.url = url == null ? "" : url.strip();
        this.user = user == null ? "" : user.strip();
        this.password = password == null ? new char[0] : password.clone();
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    char[] password() {
        return password;
    }

    void wipePassword() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "ConnectionSettings[" + url + " as " + user + "]";
    }
}
