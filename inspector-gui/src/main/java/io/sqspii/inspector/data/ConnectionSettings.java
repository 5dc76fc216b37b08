package io.sqspii.inspector.data;

import java.util.Arrays;

/**
 * What the connect dialog collects. The password lives only in memory: it is handed to the driver
 * and then wiped ({@link #wipePassword()}); it is never stored in preferences or anywhere on disk.
 */
public final class ConnectionSettings {
    private final String url;
    private final String user;
    private final char[] password;

    public ConnectionSettings(String url, String user, char[] password) {
        this.url = url == null ? "" : url.strip();
        this.user = user == null ? "" : user.strip();
        this.password = password == null ? new char[0] : password.clone();
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public char[] password() {
        return password;
    }

    public void wipePassword() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "ConnectionSettings[" + JdbcUrl.withoutCredentials(url) + " as " + user + "]";
    }
}
