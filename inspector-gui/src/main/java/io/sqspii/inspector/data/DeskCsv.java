package io.sqspii.inspector.data;

import io.sqspii.inspector.model.AuditDesk;
import io.sqspii.inspector.model.Grant;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * The auditor's review as one CSV (RFC 4180, the same quoting, formula neutralisation and UTC timestamps as
 * {@link CsvExport}): one row per fact, its {@code section} saying which — the chain head, each reveal with its grant
 * and approver, reveals per reader and day, per purpose, per dataset, each grant with its budget thresholds, and each
 * erasure (or count) of a data subject with its token and rows per dataset.
 */
public final class DeskCsv {

    /** The header; every row has these fields, empty where they do not apply. */
    static final List<String> HEADER = List.of(
            "section",
            "id",
            "at",
            "login",
            "dataset",
            "columns",
            "purpose",
            "reason",
            "outcome",
            "grant_id",
            "approver",
            "break_glass",
            "off_hours",
            "reveals",
            "cells",
            "state",
            "budget",
            "reached_80",
            "reached_100",
            "detail");

    private DeskCsv() {}

    /** Writes {@code desk} to {@code target} (through a temporary file: no half file on failure); the rows written. */
    public static long write(AuditDesk desk, Path target) throws IOException {
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".review-", ".csv.part");
        long n = 0;
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                CsvExport.writeLine(w, List.copyOf(HEADER));
                if (desk.head() != null) {
                    n += row(
                            w,
                            "chain-head",
                            desk.head().seq(),
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            "sha256 " + desk.head().sha256() + "; verify with pii-keys audit verify");
                }
                for (AuditDesk.Reveal r : desk.reveals()) {
                    n += row(
                            w,
                            "reveal",
                            r.id(),
                            r.at(),
                            r.reader(),
                            r.dataset(),
                            r.column(),
                            r.purpose(),
                            r.reason(),
                            r.outcome(),
                            r.grantId(),
                            r.approver(),
                            r.breakGlass(),
                            r.offHours(),
                            null,
                            r.cellsCharged(),
                            null,
                            null,
                            null,
                            null,
                            r.table() + " row " + r.rowKey() + (r.path() == null ? "" : " " + r.path()));
                }
                for (AuditDesk.ReaderDay d : desk.perReaderDay()) {
                    n += row(
                            w,
                            "reader-day",
                            null,
                            d.day(),
                            d.reader(),
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            d.reveals(),
                            d.cells(),
                            null,
                            null,
                            null,
                            null,
                            null);
                }
                for (AuditDesk.Count c : desk.byPurpose()) {
                    n += row(
                            w,
                            "purpose",
                            null,
                            null,
                            null,
                            null,
                            null,
                            c.name(),
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            c.reveals(),
                            c.cells(),
                            null,
                            null,
                            null,
                            null,
                            null);
                }
                for (AuditDesk.Count c : desk.byDataset()) {
                    n += row(
                            w,
                            "dataset",
                            null,
                            null,
                            null,
                            c.name(),
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            c.reveals(),
                            c.cells(),
                            null,
                            null,
                            null,
                            null,
                            null);
                }
                for (AuditDesk.GrantUse u : desk.grants()) {
                    Grant g = u.grant();
                    n += row(
                            w,
                            "grant",
                            g.id(),
                            g.requestedAt(),
                            g.requester(),
                            g.dataset(),
                            String.join(" ", g.columns()),
                            g.purpose(),
                            g.reason(),
                            null,
                            g.id(),
                            g.decidedBy(),
                            g.breakGlass(),
                            null,
                            null,
                            g.cellsUsed(),
                            g.state().label(),
                            g.cellBudget(),
                            u.reached80(),
                            u.reached100(),
                            g.ticket() == null ? null : "ticket " + g.ticket());
                }
                for (AuditDesk.Erasure x : desk.erasures()) {
                    n += row(
                            w,
                            x.erased() ? AuditDesk.Erasure.ERASED : AuditDesk.Erasure.COUNTED,
                            x.seq(),
                            x.at(),
                            x.eraser(),
                            String.join(
                                    " ",
                                    x.rowsPerDataset().stream()
                                            .map(AuditDesk.DatasetRows::dataset)
                                            .toList()),
                            null,
                            null,
                            x.reason(),
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            "subject token " + x.subjectToken() + "; rows " + x.rowsText());
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            return n;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static int row(Writer w, Object... values) throws IOException {
        CsvExport.writeLine(w, Arrays.asList(values));
        return 1;
    }
}
