package io.rwautoscaler.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a process log, for failure messages that explain themselves. */
final class LogTail {

    private LogTail() {
    }

    static String of(Path log, int lines) {
        try {
            // Prometheus logs can hold invalid UTF-8 in scraped label values; never fail here.
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
            return "\n--- last " + tail.size() + " lines of " + log + "\n" + String.join("\n", tail);
        } catch (IOException e) {
            return "\n--- no log at " + log + ": " + e;
        }
    }
}
