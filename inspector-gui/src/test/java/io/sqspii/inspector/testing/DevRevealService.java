package io.sqspii.inspector.testing;

import io.sqspii.pii.crypto.Canonicalizer;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.reveal.RevealConfig;
import io.sqspii.reveal.RevealServer;
import io.sqspii.reveal.api.PiiCatalog;
import io.sqspii.reveal.api.PiiColumn;
import io.sqspii.testsupport.DevKeys;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * The real reveal service for the failsafe tests, started in-process on a {@link TestDb#createCheckingPasswords()}
 * database with the dev keysets of connect-config/dev/keys, and values encrypted as the pipeline stores them in a
 * column of the PII catalog (its keyset, mode and associated data). Only the failsafe class path has the service
 * and the crypto core.
 */
public final class DevRevealService {

    public static final Path KEYS = DevKeys.dir();

    private DevRevealService() {}

    /** Starts the service for {@code db}, with its own login and a per-login budget no test reaches. */
    public static RevealServer start(TestDb db) throws SQLException {
        String serviceLogin = db.createLogin("pii_reveal_service", "service-pw");
        db.execute("UPDATE pii_reveal_limits SET cells_per_minute = 1000"); // the database's per-login budget
        Properties p = new Properties();
        p.setProperty("listen.host", "127.0.0.1");
        p.setProperty("listen.port", "0");
        p.setProperty("db.url", db.url);
        p.setProperty("db.service.user", serviceLogin);
        p.setProperty("db.service.password", "service-pw");
        p.setProperty(
                "keyset.deterministic.file",
                KEYS.resolve("pii-deterministic.json").toString());
        p.setProperty(
                "keyset.randomized.file", KEYS.resolve("pii-randomized.json").toString());
        p.setProperty("keyset.allow.cleartext", "true");
        p.setProperty("rate.limit.cells.per.minute", "1000");
        return RevealServer.start(RevealConfig.from(p));
    }

    /** {@code plain} as the pipeline stores it in {@code table.column} (the catalog's only row for that column). */
    public static String encrypt(TestDb db, String table, String column, String plain) throws SQLException {
        return encrypter(db, table, column).apply(plain);
    }

    /** What encrypts values as the pipeline stores them in {@code table.column}, for many values. */
    public static UnaryOperator<String> encrypter(TestDb db, String table, String column) throws SQLException {
        PiiColumn c = only(db, table, column);
        PiiCipher cipher = PiiCipher.withConstantAssociatedData(
                KeysetSource.cleartextFile(KEYS.resolve("pii-" + c.keyset() + ".json")),
                CipherMode.parse(c.mode()),
                c.associatedData());
        return plain -> cipher.encrypt(c.column(), plain);
    }

    /**
     * As {@link #encrypter}, the value first put in the column's canonical form as the pipeline does with its default
     * options ({@code Jane.Roe@Example.org} is stored as the ciphertext of {@code jane.roe@example.org}).
     */
    public static UnaryOperator<String> canonicalEncrypter(TestDb db, String table, String column) throws SQLException {
        PiiColumn c = only(db, table, column);
        Canonicalizer canonical = Canonicalizer.parse(c.canonical());
        Canonicalizer.Options options = new Canonicalizer.Options(
                Canonicalizer.Options.DEFAULT.emailLocalCase(), c.region() == null ? "" : c.region());
        UnaryOperator<String> encrypt = encrypter(db, table, column);
        return plain -> encrypt.apply(canonical.apply(plain, options));
    }

    /** The catalog's only row for {@code table.column}. */
    private static PiiColumn only(TestDb db, String table, String column) throws SQLException {
        List<PiiColumn> rows = PiiCatalog.read(db.admin()).columns(table, column);
        if (rows.size() != 1) {
            throw new IllegalArgumentException(table + "." + column + " has " + rows.size() + " PII catalog rows");
        }
        return rows.get(0);
    }
}
