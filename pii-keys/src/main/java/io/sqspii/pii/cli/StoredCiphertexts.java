package io.sqspii.pii.cli;

import picocli.CommandLine;

/** Options of the commands that work on stored ciphertexts: the keyset, and the database holding them. */
final class StoredCiphertexts {
    @CommandLine.Mixin
    PiiKeys.SourceMixin keyset;

    @CommandLine.ArgGroup(exclusive = false, multiplicity = "1")
    Database db;

    PiiKeys.Source source() {
        return keyset.source;
    }
}
