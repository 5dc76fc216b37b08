package io.sqspii.pii.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.reveal.api.PiiColumn;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reencrypt and retire --dataset against a real PostgreSQL with the shipped dataset definitions applied (`dataset
 * apply`): the PII catalog names every table, row key, column (values inside jsonb arrays too) and associated data;
 * the commands run as a member of pii_reencryptor, as the runbook says.
 */
class DatasetReencryptTest {
    static final String DATASET = "orders";
    static final int ROWS = 30;

    @TempDir
    Path dir;

    CatalogDb db;
    Path detFile;
    Path rndFile;
    KeysetHandle det;
    KeysetHandle rnd;
    String out;
    String err;

    @BeforeEach
    void setUp() throws Exception {
        db = new CatalogDb("user_logins", DATASET);
        det = Keysets.generate(CipherMode.DETERMINISTIC);
        rnd = Keysets.generate(CipherMode.RANDOMIZED);
        detFile = dir.resolve("det.json");
        rndFile = dir.resolve("rnd.json");
        Keysets.writeCleartext(det, detFile);
        Keysets.writeCleartext(rnd, rndFile);
        db.insert(DATASET, ROWS, (col, plain) -> cipher(col).encrypt(col.column(), plain));
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    private PiiCipher cipher(PiiColumn col) {
        CipherMode mode = CipherMode.parse(col.mode());
        return PiiCipher.withConstantAssociatedData(
                mode == CipherMode.DETERMINISTIC ? det : rnd, mode, col.associatedData());
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int rc = PiiKeys.execute(new PrintWriter(o, true), new PrintWriter(e, true), args);
        out = o.toString();
        err = e.toString();
        return rc;
    }

    List<String> args(String command, Path keyset, String... more) {
        List<String> a = new ArrayList<>(
                List.of(command, "--in", keyset.toString(), "--db-url", db.url, "--db-user", db.reencryptor));
        a.addAll(List.of(more));
        return a;
    }

    /** Every stored value of the dataset decrypts to what was written, and those of {@code mode} are on {@code keyId}. */
    void assertAllDecryptAndOnKey(CipherMode mode, int keyId) throws Exception {
        List<Map.Entry<PiiColumn, String>> stored = db.ciphertexts(DATASET);
        assertThat(stored).extracting(e -> e.getKey().mode()).contains("deterministic", "randomized");
        assertThat(stored)
                .anyMatch(e -> e.getKey().inArray())
                .anyMatch(e -> !e.getKey().inArray());
        for (Map.Entry<PiiColumn, String> e : stored) {
            PiiColumn col = e.getKey();
            assertThat(cipher(col).decrypt(col.column(), e.getValue()))
                    .as(col.table() + "." + col.column())
                    .startsWith(col.column() + col.arrayItemPointer() + "#");
            if (col.mode().equals(mode.configName())) {
                assertThat(PiiCipher.keyIdOf(e.getValue()))
                        .as(col.table() + "." + col.column())
                        .isEqualTo(keyId);
            }
        }
    }

    @Test
    void reencryptsEveryValueOfTheDatasetThatTheKeysetEncryptsInsideArraysToo() throws Exception {
        int oldRnd = rnd.getPrimary().getId();
        int oldDet = det.getPrimary().getId();
        assertThat(run("rotate", "--in", rndFile.toString())).isZero();
        rnd = KeysetSource.cleartextFile(rndFile).load();
        int newRnd = rnd.getPrimary().getId();

        assertThat(run(args("reencrypt", rndFile, "--dataset", DATASET, "--batch-size", "7")
                        .toArray(String[]::new)))
                .as(err)
                .isZero();
        // the catalog's tables, both of them, and an array column's values
        assertThat(out)
                .contains("dataset orders, keyset randomized (randomized)")
                .contains("re-encrypted orders to primary key " + Integer.toUnsignedLong(newRnd))
                .contains("re-encrypted orders_rejected to primary key")
                .contains("items[].holder_name")
                .contains("items: " + ROWS + " rewritten");
        assertAllDecryptAndOnKey(CipherMode.RANDOMIZED, newRnd);
        assertAllDecryptAndOnKey(CipherMode.DETERMINISTIC, oldDet); // the other keyset's values untouched
        assertThat(oldRnd).isNotEqualTo(newRnd);

        // a second run changes nothing
        assertThat(run(args("reencrypt", rndFile, "--dataset", DATASET).toArray(String[]::new)))
                .isZero();
        assertThat(out).contains("0 rows rewritten").doesNotContain(" 1 rows rewritten");
    }

    @Test
    void retireChecksEveryDatasetOfTheKeysetAndTheValuesInsideArrays() throws Exception {
        int oldRnd = rnd.getPrimary().getId();
        assertThat(run("rotate", "--in", rndFile.toString())).isZero();
        rnd = KeysetSource.cleartextFile(rndFile).load();
        String old = Long.toString(Integer.toUnsignedLong(oldRnd));

        // user_logins' rejected bodies use the same keyset (by the catalog's name): it must be named too
        assertThat(run(args("retire", rndFile, "--key-id", old, "--dataset", DATASET)
                        .toArray(String[]::new)))
                .isEqualTo(1);
        assertThat(err).contains("also encrypts the datasets [user_logins]");

        assertThat(run(args("retire", rndFile, "--key-id", old, "--dataset", DATASET, "--dataset", "user_logins")
                        .toArray(String[]::new)))
                .isEqualTo(1);
        assertThat(out).contains("orders.items: [key " + old + " " + (2 * ROWS) + " values]");
        assertThat(err).contains("refusing to retire key " + old);

        assertThat(run(args("reencrypt", rndFile, "--dataset", DATASET).toArray(String[]::new)))
                .as(err)
                .isZero();
        assertThat(run(args("retire", rndFile, "--key-id", old, "--dataset", DATASET, "--dataset", "user_logins")
                        .toArray(String[]::new)))
                .as(err)
                .isZero();
        assertThat(out).contains("retired key " + old);
        assertThat(Keysets.describe(KeysetSource.cleartextFile(rndFile).load())).hasSize(1);
    }

    @Test
    void namesEitherADatasetOrColumnsAndOnlyDatasetsOfTheCatalog() {
        assertThat(run(args("reencrypt", detFile, "--dataset", "nosuch").toArray(String[]::new)))
                .isEqualTo(1);
        assertThat(err).contains("no dataset 'nosuch'").contains("orders").contains("user_logins");
        assertThat(run(args(
                                "reencrypt",
                                detFile,
                                "--dataset",
                                DATASET,
                                "--table",
                                "t",
                                "--key-column",
                                "k",
                                "--column",
                                "c:d")
                        .toArray(String[]::new)))
                .isEqualTo(2);
        assertThat(run(args("reencrypt", detFile).toArray(String[]::new))).isEqualTo(2);
        assertThat(err).contains("--dataset NAME");
        assertThat(run(args("retire", detFile, "--key-id", "1").toArray(String[]::new)))
                .isEqualTo(2);
    }
}
