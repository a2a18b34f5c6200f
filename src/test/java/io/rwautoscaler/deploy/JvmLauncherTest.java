package io.rwautoscaler.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * native/run-jvm.sh, the one source of the JVM's flags: what it refuses, which flags it gives which JDK, and that
 * the JVM image starts through it. (Its AOT training run is exercised by CI's JDK 25 run of the packaged-app ITs
 * and by benchmarks/run.sh; it takes a minute, too long for a unit test.)
 */
class JvmLauncherTest {

    private static final Path LAUNCHER = Path.of("native", "run-jvm.sh").toAbsolutePath();
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path app;

    record Result(int exit, String out) {
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.equals("JAVA_HOME") || k.equals("APP_DIR") || k.equals("MEMORY_LIMIT")
                || k.equals("AOT_CACHE") || k.equals("COMPACT_HEADERS") || k.equals("JAVA_OPTS"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Map<String, String> valid(String javaHome) throws IOException {
        Files.writeString(app.resolve("quarkus-run.jar"), "");
        return Map.of("JAVA_HOME", javaHome, "APP_DIR", app.toString());
    }

    private static String thisJdk() {
        return System.getProperty("java.home");
    }

    @Test
    void wrongInputsGetOneClearLineAndAFailingExit() throws Exception {
        Map<String, String> ok = valid(thisJdk());
        assertRefused(Map.of("APP_DIR", app.toString()), "JAVA_HOME is not set");
        assertRefused(Map.of("JAVA_HOME", app.resolve("nope").toString(), "APP_DIR", app.toString()),
                "has no executable bin/java");
        assertRefused(Map.of("JAVA_HOME", thisJdk(), "APP_DIR", app.resolve("empty").toString()),
                "holds no quarkus-run.jar");
        assertRefused(with(ok, "MEMORY_LIMIT", "lots"), "MEMORY_LIMIT='lots' is not a memory size");
        assertRefused(with(ok, "MEMORY_LIMIT", "64Mi"), "below 128Mi");
        assertRefused(with(ok, "COMPACT_HEADERS", "maybe"), "must be auto, true or false");
    }

    private void assertRefused(Map<String, String> env, String message) throws Exception {
        Result r = run(env, "flags");
        assertThat(r.exit()).as(r.out()).isNotZero();
        assertThat(r.out().strip().lines()).as(r.out()).hasSize(1);
        assertThat(r.out()).startsWith("run-jvm.sh: ").contains(message);
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }

    @Test
    void heapIsAQuarterOfTheMemoryLimitInEveryUnit() throws Exception {
        Map<String, String> ok = valid(thisJdk());
        assertThat(run(ok, "flags").out()).contains("-Xmx128m");   // the chart's 512Mi
        assertThat(run(with(ok, "MEMORY_LIMIT", "1Gi"), "flags").out()).contains("-Xmx256m");
        assertThat(run(with(ok, "MEMORY_LIMIT", "536870912"), "flags").out()).contains("-Xmx128m");
        assertThat(run(with(ok, "MEMORY_LIMIT", "1000M"), "flags").out()).contains("-Xmx238m");
    }

    @Test
    void jdk17GetsNoJdk25OnlyFlagAndIgnoresTheAotCacheWithOneLine() throws Exception {
        assumeTrue(Runtime.version().feature() < 25, "the tests run on JDK 17 in CI");
        Map<String, String> ok = valid(thisJdk());
        Result flags = run(ok, "flags");
        assertThat(flags.exit()).isZero();
        assertThat(flags.out()).contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Xss512k")
                .doesNotContain("CompactObjectHeaders", "AOT");
        assertThat(run(with(ok, "COMPACT_HEADERS", "true"), "flags").out()).contains("needs JDK 25 or later");
        Result train = run(with(ok, "AOT_CACHE", app.resolve("aot").toString()), "train");
        assertThat(train.exit()).isNotZero();
        assertThat(train.out()).contains("the AOT cache needs JDK 25 or later");
    }

    @Test
    void jdk25GetsCompactObjectHeaders() throws Exception {
        assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "no JDK 25 at " + JDK25);
        Map<String, String> ok = valid(JDK25.toString());
        assertThat(run(ok, "flags").out()).contains("-XX:+UseCompactObjectHeaders", "-XX:+UseSerialGC");
        assertThat(run(with(ok, "COMPACT_HEADERS", "false"), "flags").out()).doesNotContain("CompactObjectHeaders");
    }

    @Test
    void theJvmImageRunsOnJdk25ThroughTheLauncherWithABuildTimeAotCache() throws IOException {
        String dockerfile = Files.readString(Path.of("native", "Dockerfile.jvm"));
        assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:25-jre")
                .contains("COPY --chown=65532:65532 --chmod=755 native/run-jvm.sh /deployments/run-jvm.sh")
                .containsPattern("(?m)^RUN /deployments/run-jvm.sh train")
                .containsPattern("(?m)^ENTRYPOINT \\[\"/deployments/run-jvm.sh\"\\]")
                .doesNotContain("JAVA_TOOL_OPTIONS");
    }

    /**
     * The training run is a RUN after USER, so it runs as that user; WORKDIR made /deployments as root, so the cache
     * folder must be made for that user before USER (else the build stops at "AOT_CACHE=... is not writable").
     */
    @Test
    void theImagesUserMayWriteTheAotCacheTheBuildTrains() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("native", "Dockerfile.jvm"));
        String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow().substring(5).trim();
        String aotCache = lines.stream().map(String::trim).filter(l -> l.contains("AOT_CACHE="))
                .map(l -> l.replaceAll(".*AOT_CACHE=(\\S+).*", "$1")).findFirst().orElseThrow();
        String[] uidGid = user.split(":");
        String made = "RUN install -d -o " + uidGid[0] + " -g " + uidGid[1] + " " + aotCache;
        assertThat(lines).as("the cache folder made for USER %s", user).contains(made);
        assertThat(lines.indexOf(made)).as("made as root, before USER")
                .isLessThan(lines.indexOf("USER " + user))
                .isLessThan(lines.indexOf(lines.stream().filter(l -> l.startsWith("RUN /deployments/run-jvm.sh train"))
                        .findFirst().orElseThrow()));
    }
}
