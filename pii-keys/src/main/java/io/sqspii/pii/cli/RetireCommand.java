package io.sqspii.pii.cli;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.Keysets;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "retire", description = {
        "Remove a key from the keyset after checking that no stored ciphertext of the named columns carries its "
                + "key id (prints the count per key id of every column). Never the primary key. Name every column "
                + "encrypted with this keyset: rows of a column left out would no longer decrypt.",
        "Example: retire --in pii-deterministic.json --key-id 123456 --db-url jdbc:postgresql://db:5432/logins "
                + "--column user_logins.masked_ip --column user_logins.masked_device_id"})
final class RetireCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    StoredCiphertexts stored;

    @Option(names = "--key-id", required = true, paramLabel = "ID", description = "The key to remove (as `info` prints it).")
    long keyId;

    @Option(names = "--column", required = true, paramLabel = "TABLE.COLUMN",
            description = "A column of ciphertexts made with this keyset (user_logins.masked_ip). Repeatable.")
    List<String> columns;

    @Override
    public Integer call() throws SQLException {
        KeysetHandle keyset = stored.source().source().load();
        int id = (int) keyId;
        if (keyId < 0 || keyId > 0xffff_ffffL) {
            throw new IllegalArgumentException("--key-id must be an unsigned 32-bit key id");
        }
        Keysets.remove(keyset, id); // refuses the primary and unknown ids before the database is read
        PrintWriter out = spec.commandLine().getOut();
        String wanted = Long.toString(keyId);
        Map<String, Long> inUse = new LinkedHashMap<>();
        try (Connection c = stored.db.connect()) {
            for (String column : columns) {
                Map<String, Long> counts = KeyUsage.count(c, column);
                out.printf("%s: %s%n", column, counts.isEmpty() ? "no values" : counts.entrySet().stream()
                        .map(e -> "key " + e.getKey() + " " + String.format("%,d", e.getValue()) + " rows").toList());
                if (counts.getOrDefault(wanted, 0L) > 0) {
                    inUse.put(column, counts.get(wanted));
                }
            }
        }
        out.flush();
        if (!inUse.isEmpty()) {
            spec.commandLine().getErr().printf("pii-keys: refusing to retire key %d: still used by %s (run reencrypt first); "
                    + "keyset unchanged%n", keyId, inUse);
            return 1;
        }
        KeysetHandle retired = Keysets.remove(keyset, id);
        stored.source().write(retired);
        out.printf("retired key %d from %s; restart the connector tasks and the reveal service to load it%n", keyId, stored.source().in);
        PiiKeys.printInfo(out, retired);
        return 0;
    }
}
