package io.sqspii.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The user_logins tables, grants and triggers as a deployment made them by hand before dataset definitions (its
 * schema.sql and roles.sql of that time): what `dataset apply datasets/user_logins` adopts as it is. Tests that
 * need that shape — nullable ciphertext columns, say — create it before applying the definition.
 */
public final class LegacySchema {

    private LegacySchema() {}

    /** CREATE TABLE and CREATE INDEX statements of user_logins and user_logins_rejected. */
    public static String userLoginsTables() {
        return read("user_logins-before-definitions.sql");
    }

    /** Their grants and kept-ciphertext triggers (apply after roles.sql, which defines the trigger function). */
    public static String userLoginsGrants() {
        return read("user_logins-grants-before-definitions.sql");
    }

    private static String read(String name) {
        try (InputStream in = LegacySchema.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test-support lacks " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
