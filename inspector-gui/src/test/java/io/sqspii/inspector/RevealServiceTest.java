package io.sqspii.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Audit-then-decrypt against real PostgreSQL, real roles and the real crypto core. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevealServiceTest {

    TestDb db;
    List<SeedData.Login> seeded;
    String reader;
    String analyst;

    /**
     * The real key ring; before each decryption it records how many audit rows another connection (the
     * superuser's) sees — rows that are committed.
     */
    final class AuditWitness implements Decryptor {
        final KeyRing keys = Masking.keyRing();
        final List<Long> committedAuditRowsAtDecrypt = new ArrayList<>();

        @Override
        public boolean hasKey(TableSpec table, Column column) {
            return keys.hasKey(table, column);
        }

        @Override
        public String decrypt(TableSpec table, Column column, String ciphertext) {
            committedAuditRowsAtDecrypt.add(committedAuditRows());
            return keys.decrypt(table, column, ciphertext);
        }
    }

    @BeforeAll
    void seed() throws SQLException {
        db = TestDb.create();
        seeded = SeedData.logins(db, 12, Masking.real());
        Masking.seedRejected(db);
        reader = db.createLogin("pii_reader", "pw");
        analyst = db.createLogin("analyst", "pw");
    }

    @AfterAll
    void drop() throws SQLException {
        db.close();
    }

    @BeforeEach
    void restoreGrant() throws SQLException {
        db.execute("GRANT INSERT ON pii_access_log TO pii_reader");
    }

    @Test
    void piiReaderGetsThePlaintextOnlyAfterTheAuditRowIsCommitted() throws SQLException {
        SeedData.Login l = seeded.get(4);
        AuditWitness witness = new AuditWitness();
        try (Session s = Session.open(db.settings(reader, "pw"))) {
            RevealService service = new RevealService(s, new InspectorRepository(s.connection()), witness);
            assertThat(service.availability(TableSpec.LOGINS, "masked_ip").allowed()).isTrue();
            long before = db.countAudit();

            List<RevealService.Revealed> out = service.reveal(List.of(
                    new RevealService.Cell(TableSpec.LOGINS, l.messageId(), "masked_ip"),
                    new RevealService.Cell(TableSpec.LOGINS, l.messageId(), "masked_device_id")), "  INC-7: fraud check ");

            assertThat(out).extracting(RevealService.Revealed::plaintext).containsExactly(l.ip(), l.deviceId());
            // both audit rows were committed before the first decryption
            assertThat(witness.committedAuditRowsAtDecrypt).containsExactly(before + 2, before + 2);
            assertThat(db.countAudit()).isEqualTo(before + 2);
            try (PreparedStatement ps = db.admin().prepareStatement(
                    "SELECT analyst, table_name, row_key, column_name, reason FROM pii_access_log ORDER BY id DESC LIMIT 2");
                 ResultSet rs = ps.executeQuery()) {
                List<String> cols = new ArrayList<>();
                while (rs.next()) {
                    assertThat(rs.getString(1)).isEqualTo(reader);
                    assertThat(rs.getString(2)).isEqualTo("user_logins");
                    assertThat(rs.getString(3)).isEqualTo(l.messageId());
                    assertThat(rs.getString(5)).isEqualTo("INC-7: fraud check");
                    cols.add(rs.getString(4));
                }
                assertThat(cols).containsExactlyInAnyOrder("masked_ip", "masked_device_id");
            }
            // the connection is back in autocommit for browsing
            assertThat(s.connection().getAutoCommit()).isTrue();
        }
    }

    @Test
    void rejectedBodyIsRevealedWithItsOwnKey() throws SQLException {
        AuditWitness witness = new AuditWitness();
        long before = db.countAudit();
        try (Session s = Session.open(db.settings(reader, "pw"))) {
            RevealService service = new RevealService(s, new InspectorRepository(s.connection()), witness);
            List<RevealService.Revealed> out = service.reveal(
                    List.of(new RevealService.Cell(TableSpec.REJECTED, "rej-1", "encrypted_body")), "why was it rejected");
            assertThat(out.get(0).plaintext()).isEqualTo(Masking.REJECTED_BODY);
            assertThat(witness.committedAuditRowsAtDecrypt).containsExactly(before + 1);
        }
    }

    @Test
    void analystCannotRevealAndLeavesNoAuditRow() throws SQLException {
        AuditWitness witness = new AuditWitness();
        long before = db.countAudit();
        try (Session s = Session.open(db.settings(analyst, "pw"))) {
            RevealService service = new RevealService(s, new InspectorRepository(s.connection()), witness);
            RevealService.Availability a = service.availability(TableSpec.LOGINS, "masked_ip");
            assertThat(a.allowed()).isFalse();
            assertThat(a.reason()).contains("pii_reader");
            assertThatThrownBy(() -> service.reveal(
                    List.of(new RevealService.Cell(TableSpec.LOGINS, seeded.get(0).messageId(), "masked_ip")), "curious"))
                    .isInstanceOf(InspectorException.class).hasMessageContaining("pii_reader");
        }
        assertThat(witness.committedAuditRowsAtDecrypt).isEmpty();
        assertThat(db.countAudit()).isEqualTo(before);
    }

    @Test
    void auditInsertFailureRevealsNothing() throws SQLException {
        AuditWitness witness = new AuditWitness();
        long before = db.countAudit();
        try (Session s = Session.open(db.settings(reader, "pw"))) {
            RevealService service = new RevealService(s, new InspectorRepository(s.connection()), witness);
            assertThat(service.availability(TableSpec.LOGINS, "masked_ip").allowed()).isTrue();
            // the grant is taken away while the analyst's session is open
            db.execute("REVOKE INSERT ON pii_access_log FROM pii_reader");
            assertThatThrownBy(() -> service.reveal(
                    List.of(new RevealService.Cell(TableSpec.LOGINS, seeded.get(1).messageId(), "masked_ip")), "ticket 9"))
                    .isInstanceOf(InspectorException.class)
                    .hasMessageStartingWith("Nothing revealed: the audit row could not be written")
                    .hasMessageNotContaining(seeded.get(1).ip());
            assertThat(s.connection().getAutoCommit()).isTrue();
        }
        assertThat(witness.committedAuditRowsAtDecrypt).isEmpty();
        assertThat(db.countAudit()).isEqualTo(before);
    }

    @Test
    void reasonIsRequiredAndAKeyMustBeLoaded() throws SQLException {
        AuditWitness witness = new AuditWitness();
        long before = db.countAudit();
        try (Session s = Session.open(db.settings(reader, "pw"))) {
            InspectorRepository repo = new InspectorRepository(s.connection());
            RevealService service = new RevealService(s, repo, witness);
            RevealService.Cell cell = new RevealService.Cell(TableSpec.LOGINS, seeded.get(2).messageId(), "masked_ip");
            assertThatThrownBy(() -> service.reveal(List.of(cell), "   ")).hasMessageContaining("reason is required");
            assertThatThrownBy(() -> service.reveal(List.of(new RevealService.Cell(TableSpec.LOGINS, "no-such-row", "masked_ip")),
                    "ticket")).hasMessageContaining("no longer exists");
            assertThatThrownBy(() -> service.reveal(List.of(new RevealService.Cell(TableSpec.LOGINS, seeded.get(2).messageId(),
                    "user_id")), "ticket")).hasMessageContaining("PII column");

            RevealService keyless = new RevealService(s, repo, null);
            assertThat(keyless.availability(TableSpec.LOGINS, "masked_ip").reason()).contains("No key loaded");
            RevealService onlyLoginKeys = new RevealService(s, repo, KeyRing.load(new KeysetChoice(Masking.DETERMINISTIC, null, null)));
            assertThat(onlyLoginKeys.availability(TableSpec.LOGINS, "masked_ip").allowed()).isTrue();
            assertThat(onlyLoginKeys.availability(TableSpec.REJECTED, "encrypted_body").allowed()).isFalse();
            assertThatThrownBy(() -> keyless.reveal(List.of(cell), "ticket")).hasMessageContaining("No key loaded");
        }
        assertThat(witness.committedAuditRowsAtDecrypt).isEmpty();
        assertThat(db.countAudit()).isEqualTo(before);
    }

    private long committedAuditRows() {
        try {
            return db.countAudit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
