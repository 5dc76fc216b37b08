package io.sqspii.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Peak resident set size of a process, read from Linux's /proc (empty elsewhere). */
final class ProcessMemory {

  private ProcessMemory() {
  }

  static Optional<Long> peakRssBytes(long pid) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          String kb = line.substring("VmHWM:".length()).replace("kB", "").trim();
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
