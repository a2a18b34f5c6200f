package io.rwautoscaler;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the decision code pure (no framework, no wire format, no I/O, no wall clock) and the packages layered:
 * no cycle between top-level packages, every dependency pointing towards core.
 */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rwautoscaler");
    }

    @Test
    void coreDependsOnNoFrameworkNorIo() {
        ArchRule rule = noClasses().that().resideInAPackage("io.rwautoscaler.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.quarkus..", "jakarta..", "io.fabric8..", "com.fasterxml..", "io.micrometer..",
                        "io.vertx..", "io.smallrye..", "org.eclipse.microprofile..",
                        "java.io..", "java.nio..", "java.net..", "java.sql..")
                .because("core.* holds the pure decisions; I/O lives in adapters")
                .allowEmptyShould(true);
        rule.check(classes);
    }

    @Test
    void coreNeverReadsTheWallClock() {
        ArchRule rule = noClasses().that().resideInAPackage("io.rwautoscaler.core..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .because("time comes into core as an argument")
                .allowEmptyShould(true);
        rule.check(classes);
    }

    @Test
    void coreDependsOnNothingOutsideCore() {
        ArchRule rule = noClasses().that().resideInAPackage("io.rwautoscaler.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.rwautoscaler.config..", "io.rwautoscaler.prometheus..", "io.rwautoscaler.kube..",
                        "io.rwautoscaler.apiserver..", "io.rwautoscaler.runtime..", "io.rwautoscaler.metrics..",
                        "io.rwautoscaler.shards..", "io.rwautoscaler.receivers..", "io.rwautoscaler.sizing..",
                        "io.rwautoscaler.hpa..", "io.rwautoscaler.replay..")
                .allowEmptyShould(true);
        rule.check(classes);
    }

    @Test
    void noCycleBetweenTopLevelPackages() {
        slices().matching("io.rwautoscaler.(*)..").should().beFreeOfCycles().check(classes);
    }

    /**
     * Every arrow points down: capabilities (metrics, shards, receivers, sizing) and the HTTP edge over the shared
     * infrastructure (prometheus, kube, runtime), all over config and the pure core. A capability does not reach
     * into another one, except the receivers' loop reading the metrics snapshot and the edge serving it; {@code hpa}
     * only turns fabric8's HPA objects into core.hpa's; {@code replay} is the top, reading history through the
     * loops' own queries.
     */
    @Test
    void layersPointTowardsCore() {
        Map<String, List<String>> allowed = Map.ofEntries(
                Map.entry("config", List.of("core")),
                Map.entry("runtime", List.of("core", "config")),
                Map.entry("prometheus", List.of("core", "config")),
                Map.entry("kube", List.of("core", "config", "runtime")),
                Map.entry("metrics", List.of("core", "config", "runtime", "prometheus", "kube")),
                Map.entry("shards", List.of("core", "config", "runtime", "prometheus", "kube")),
                Map.entry("receivers", List.of("core", "config", "runtime", "prometheus", "kube", "metrics")),
                Map.entry("sizing", List.of("core", "config", "runtime", "prometheus", "kube")),
                Map.entry("apiserver", List.of("core", "config", "runtime", "metrics")),
                // KEDA's external scaler: another edge over the metrics snapshot, beside apiserver.
                Map.entry("keda", List.of("core", "config", "runtime", "metrics")),
                Map.entry("hpa", List.of("core")),
                // replay sits on top: it reads history with the loops' own queries, rule sources and served rules,
                // and the HPA through hpa's converter; nothing uses it
                Map.entry("replay", List.of("core", "config", "runtime", "prometheus", "kube", "metrics", "shards",
                        "receivers", "hpa")));
        for (Map.Entry<String, List<String>> e : allowed.entrySet()) {
            List<String> mayUse = new java.util.ArrayList<>(e.getValue());
            mayUse.add(e.getKey());
            String[] forbidden = allowed.keySet().stream().filter(p -> !mayUse.contains(p))
                    .map(p -> "io.rwautoscaler." + p + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("io.rwautoscaler." + e.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .because(e.getKey() + " may use only " + e.getValue())
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void everyTopLevelPackageHasALayer() {
        java.util.Set<String> known = java.util.Set.of("config", "runtime", "prometheus", "kube", "metrics", "shards",
                "receivers", "sizing", "apiserver", "keda", "hpa", "replay", "core");
        List<String> unknown = classes.stream().map(c -> c.getPackageName())
                .filter(p -> p.startsWith("io.rwautoscaler."))
                .map(p -> p.substring("io.rwautoscaler.".length()).split("\\.")[0])
                .filter(p -> !known.contains(p)).distinct().toList();
        org.assertj.core.api.Assertions.assertThat(unknown)
                .as("a new top-level package needs its place in layersPointTowardsCore").isEmpty();
    }
}
