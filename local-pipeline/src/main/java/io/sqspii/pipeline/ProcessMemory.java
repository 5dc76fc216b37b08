package io.sqspii.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Resident set size of a process, now and at its peak, read from Linux's /proc (empty elsewhere). */
final class ProcessMemory {

    private ProcessMemory() {}

    static Optional<Long> peakRssBytes(long pid) {
        return statusBytes(pid, "VmHWM:");
    }

    static Optional<Long> rssBytes(long pid) {
        return statusBytes(pid, "VmRSS:");
    }

    private static Optional<Long> statusBytes(long pid, String field) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field)) {
                    String kb = line.substring(field.length()).replace("kB", "").trim();
                    return Optional.of(Long.parseLong(kb) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static Optional<Long> ownPeakRssBytes() {
        return peakRssBytes(ProcessHandle.current().pid());
    }
}
