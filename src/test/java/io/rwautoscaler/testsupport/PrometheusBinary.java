package io.rwautoscaler.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the {@code prometheus} binary for end-to-end tests, installing Debian's package the way
 * {@code deploy/local/demo.sh} does when the machine allows it (root and apt-get).
 */
public final class PrometheusBinary {

    public static final String INSTALL_COMMAND =
            "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y prometheus";

    /** CI sets this so that a missing Prometheus fails the build instead of skipping the e2e tests. */
    static final String REQUIRED_ENV = "RWA_E2E_REQUIRED";

    private static Path found;
    private static String installFailure; // remembered so the install is tried once per JVM

    private PrometheusBinary() {
    }

    /**
     * The binary's path; otherwise fails the test (when {@code RWA_E2E_REQUIRED=1}) or aborts it,
     * with a message naming the install command.
     */
    public static synchronized Path require() {
        if (found != null) {
            return found;
        }
        found = which("prometheus").orElse(null);
        if (found == null && installFailure == null) {
            // Once per JVM: several test classes ask, and apt-get is slow and needs a lock.
            installFailure = tryInstall();
            found = which("prometheus").orElse(null);
        }
        if (found != null) {
            return found;
        }
        String message = "prometheus not found on PATH or in /usr/bin (" + installFailure
                + "); install it as root: " + INSTALL_COMMAND;
        if ("1".equals(System.getenv(REQUIRED_ENV))) {
            Assertions.fail(message + " [" + REQUIRED_ENV + "=1, so this is a failure, not a skip]");
        }
        return Assumptions.abort(message);
    }

    /** Like the shell's {@code which}, plus the system dirs, which a test JVM's PATH may lack. */
    private static Optional<Path> which(String name) {
        String dirs = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/usr/sbin:/bin";
        for (String dir : dirs.split(File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, name);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Returns why the binary is still missing after the attempt. */
    private static String tryInstall() {
        if (!isRoot()) {
            return "not root, so not installing";
        }
        if (which("apt-get").isEmpty()) {
            return "no apt-get, so not installing";
        }
        System.err.println("[e2e] prometheus missing: running " + INSTALL_COMMAND);
        try {
            Path log = Files.createTempFile("apt-install-prometheus", ".log");
            for (List<String> command : List.of(
                    List.of("apt-get", "update"),
                    List.of("apt-get", "install", "-y", "prometheus"))) {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
                Process process = builder.start();
                if (!process.waitFor(10, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    return String.join(" ", command) + " timed out; log: " + log;
                }
                if (process.exitValue() != 0) {
                    return String.join(" ", command) + " exited " + process.exitValue() + ": "
                            + LogTail.of(log, 15);
                }
            }
            return "installed, but still not found; log: " + log;
        } catch (IOException e) {
            return "install failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "install interrupted";
        }
    }

    private static boolean isRoot() {
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes()).trim();
            return id.waitFor(10, TimeUnit.SECONDS) && "0".equals(uid);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
