package io.rwautoscaler;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Keeps the decision code pure: no framework, no wire format, no I/O, no wall clock. */
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
                        "io.rwautoscaler.apiserver..", "io.rwautoscaler.reconcile..", "io.rwautoscaler.report..")
                .allowEmptyShould(true);
        rule.check(classes);
    }
}
