package io.rwautoscaler.receivers;

import io.rwautoscaler.testsupport.FakePrometheus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.prometheus.PrometheusException;
import io.rwautoscaler.receivers.ReceiverPolicySource.Change;
import io.rwautoscaler.receivers.ReceiverPolicySource.State;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiverPolicySourceTest {

    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    static final Instant T1 = T0.plusSeconds(30);
    static final Instant T2 = T0.plusSeconds(60);

    static final String ONE_RULE = """
            minReplicas: 3
            maxReplicas: 8
            rules:
              - name: receiver-cpu-high
                expr: avg(rate(container_cpu_usage_seconds_total[5m]))
                comparison: ">"
                threshold: 0.8
                for: 10m
                action: ADD_RECEIVERS
                target: statefulset/monitoring/thanos-receive
            """;

    @TempDir
    Path dir;
    Path file;
    final FakePrometheus prometheus = new FakePrometheus();
    ReceiverPolicySource source;

    @BeforeEach
    void fileSource() {
        file = dir.resolve("policy.yaml");
        source = new ReceiverPolicySource(Optional.of(file), true, prometheus);
    }

    State write(String content, Instant at) throws IOException {
        Files.writeString(file, content);
        return source.refresh(at);
    }

    @Test
    void withoutAFileTheRunbookDefaultsAreInForce() {
        ReceiverPolicySource defaults = new ReceiverPolicySource(Optional.empty(), true, prometheus);

        State state = defaults.refresh(T0);

        assertThat(state.policy()).isEqualTo(ReceiverPolicy.defaults());
        assertThat(state.source()).isEqualTo(ReceiverPolicySource.DEFAULTS);
        assertThat(state.valid()).isTrue();
        assertThat(state.actingAllowed()).isTrue();
        assertThat(prometheus.asked).isEmpty();
    }

    @Test
    void aValidFileIsLoadedAfterItsPromqlPassed() throws IOException {
        State state = write(ONE_RULE, T0);

        assertThat(state.change()).isEqualTo(Change.LOADED);
        assertThat(state.valid()).isTrue();
        assertThat(state.actingAllowed()).isTrue();
        assertThat(state.source()).isEqualTo("file " + file);
        assertThat(state.policy().rules()).extracting(r -> r.name()).containsExactly("receiver-cpu-high");
        assertThat(state.policy().bounds().max()).isEqualTo(8);
        assertThat(state.loadedAt()).contains(T0);
        assertThat(prometheus.asked).containsExactly("min_over_time((avg(rate(container_cpu_usage_seconds_total[5m])))[10m:30s])");
    }

    @Test
    void theDefaultPolicyWrittenAsYamlReadsBackUnchanged() throws IOException {
        String yaml = new ObjectMapper(new YAMLFactory()).writeValueAsString(ReceiverPolicy.defaults().toDocument());

        assertThat(write(yaml, T0).policy()).isEqualTo(ReceiverPolicy.defaults());
    }

    @Test
    void unchangedContentIsNotValidatedAgain() throws IOException {
        write(ONE_RULE, T0);
        prometheus.asked.clear();

        State state = source.refresh(T1);

        assertThat(state.change()).isEqualTo(Change.UNCHANGED);
        assertThat(state.valid()).isTrue();
        assertThat(prometheus.asked).isEmpty();
    }

    @Test
    void badYamlKeepsThePreviousPolicyAndSaysWhere() throws IOException {
        ReceiverPolicy before = write(ONE_RULE, T0).policy();

        State state = write("rules:\n  - name: x\n   expr: [unclosed\n", T1);

        assertThat(state.change()).isEqualTo(Change.REJECTED);
        assertThat(state.policy()).isEqualTo(before);
        assertThat(state.valid()).isFalse();
        assertThat(state.actingAllowed()).isTrue();
        assertThat(state.lastError()).get().asString().contains(file.toString()).contains("not valid YAML").contains("line ");
        assertThat(state.lastErrorAt()).contains(T1);
    }

    @Test
    void aThresholdOfTheWrongTypeNamesTheRuleAndKeepsThePreviousPolicy() throws IOException {
        ReceiverPolicy before = write(ONE_RULE, T0).policy();

        State state = write(ONE_RULE.replace("threshold: 0.8", "threshold: \"80%\""), T1);

        assertThat(state.policy()).isEqualTo(before);
        assertThat(state.lastError()).get().asString().contains("rule 'receiver-cpu-high'").contains("threshold").contains("0.8");
        assertThat(state.problems()).anySatisfy(p -> assertThat(p.field()).isEqualTo("threshold"));
    }

    @Test
    void twoRulesOnTheSameTargetThatContradictEachOtherAreRejected() throws IOException {
        String contradiction = ONE_RULE + """
                  - name: receiver-cpu-low
                    expr: avg(rate(container_cpu_usage_seconds_total[5m]))
                    comparison: "<"
                    threshold: 0.9
                    for: 1h
                    action: REMOVE_RECEIVERS
                    target: statefulset/monitoring/thanos-receive
                """;

        State state = write(contradiction, T0);

        assertThat(state.change()).isEqualTo(Change.REJECTED);
        assertThat(state.lastError()).get().asString().contains("rule 'receiver-cpu-low'").contains("contradicts");
    }

    @Test
    void anUnknownActionIsRejected() throws IOException {
        State state = write(ONE_RULE.replace("ADD_RECEIVERS", "ADD_MORE_PODS"), T0);

        assertThat(state.lastError()).get().asString().contains("unknown action 'ADD_MORE_PODS'");
    }

    @Test
    void anUnquotedComparisonGetsAYamlHint() throws IOException {
        State state = write(ONE_RULE.replace("comparison: \">\"", "comparison: >"), T0);

        assertThat(state.valid()).isFalse();
        assertThat(state.lastError()).get().asString().contains("quote it");
    }

    @Test
    void aKeyWrittenTwiceIsAnError() throws IOException {
        State state = write(ONE_RULE.replace("    for: 10m\n", "    for: 10m\n    for: 1h\n"), T0);

        assertThat(state.valid()).isFalse();
        assertThat(state.lastError()).get().asString().contains("Duplicate field 'for'");
    }

    @Test
    void promqlPrometheusRejectsIsAnInvalidRule() throws IOException {
        ReceiverPolicy before = write(ONE_RULE, T0).policy();
        prometheus.failContaining("container_cpu_usage_seconds_total[5m]", PrometheusException.Reason.BAD_QUERY);

        State state = write(ONE_RULE.replace("threshold: 0.8", "threshold: 0.85"), T1);

        assertThat(state.change()).isEqualTo(Change.REJECTED);
        assertThat(state.policy()).isEqualTo(before);
        assertThat(state.lastError()).get().asString().contains("rule 'receiver-cpu-high', field 'expr'").contains("Prometheus rejects");
    }

    @Test
    void whenPrometheusIsUnreachableTheNewPolicyWaitsAndIsCheckedNextCycle() throws IOException {
        ReceiverPolicy before = write(ONE_RULE, T0).policy();
        prometheus.failEverything(PrometheusException.Reason.UNREACHABLE);

        State waiting = write(ONE_RULE.replace("maxReplicas: 8", "maxReplicas: 9"), T1);

        assertThat(waiting.change()).isEqualTo(Change.DEFERRED);
        assertThat(waiting.policy()).isEqualTo(before);
        assertThat(waiting.lastError()).get().asString().contains("not checked yet");

        prometheus.clear();
        State loaded = source.refresh(T2);
        assertThat(loaded.change()).isEqualTo(Change.LOADED);
        assertThat(loaded.policy().bounds().max()).isEqualTo(9);
    }

    @Test
    void aQueryPrometheusCannotEvaluateIsAWarningNotAnError() throws IOException {
        prometheus.failContaining("container_cpu_usage_seconds_total", PrometheusException.Reason.SERVER_ERROR);

        State state = write(ONE_RULE, T0);

        assertThat(state.change()).isEqualTo(Change.LOADED);
        assertThat(state.problems()).singleElement().satisfies(p -> assertThat(p.isError()).isFalse());
    }

    @Test
    void anInvalidFileAtStartUpRunsTheDefaultsButActsOnNothingUntilItIsFixed() throws IOException {
        State invalid = write("rules: 42\n", T0);

        assertThat(invalid.policy()).isEqualTo(ReceiverPolicy.defaults());
        assertThat(invalid.valid()).isFalse();
        assertThat(invalid.actingAllowed()).isFalse();
        assertThat(invalid.lastError()).get().asString().contains(file.toString()).contains("rules");

        State fixed = write(ONE_RULE, T1);
        assertThat(fixed.valid()).isTrue();
        assertThat(fixed.actingAllowed()).isTrue();
    }

    @Test
    void aMissingFileKeepsThePreviousPolicyAndTheSameContentComingBackLoadsAgain() throws IOException {
        ReceiverPolicy before = write(ONE_RULE, T0).policy();
        Files.delete(file);

        State missing = source.refresh(T1);
        assertThat(missing.policy()).isEqualTo(before);
        assertThat(missing.valid()).isFalse();
        assertThat(missing.lastError()).get().asString().contains("does not exist");

        State back = write(ONE_RULE, T2);
        assertThat(back.valid()).isTrue();
        assertThat(back.lastError()).isEmpty();
    }

    @Test
    void aConfigMapUpdateBySymlinkSwapIsSeen() throws IOException {
        // The kubelet's layout: policy.yaml -> ..data/policy.yaml, ..data -> ..<timestamp>/, swapped atomically.
        Path mount = dir.resolve("mount");
        Files.createDirectories(mount.resolve("..2026_11_25_12_00_00.1"));
        Files.writeString(mount.resolve("..2026_11_25_12_00_00.1/policy.yaml"), ONE_RULE);
        Files.createSymbolicLink(mount.resolve("..data"), Path.of("..2026_11_25_12_00_00.1"));
        Files.createSymbolicLink(mount.resolve("policy.yaml"), Path.of("..data/policy.yaml"));
        ReceiverPolicySource mounted = new ReceiverPolicySource(Optional.of(mount.resolve("policy.yaml")), true, prometheus);
        assertThat(mounted.refresh(T0).policy().bounds().max()).isEqualTo(8);

        Files.createDirectories(mount.resolve("..2026_11_25_12_05_00.2"));
        Files.writeString(mount.resolve("..2026_11_25_12_05_00.2/policy.yaml"), ONE_RULE.replace("maxReplicas: 8", "maxReplicas: 6"));
        Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of("..2026_11_25_12_05_00.2"));
        Files.move(mount.resolve("..data_tmp"), mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

        State swapped = mounted.refresh(T1);
        assertThat(swapped.change()).isEqualTo(Change.LOADED);
        assertThat(swapped.policy().bounds().max()).isEqualTo(6);
    }

    @Test
    void theSameRejectedContentIsReportedButNotCountedAgain() throws IOException {
        write(ONE_RULE, T0);
        assertThat(write("rules: []\nbogus: 1\n", T1).change()).isEqualTo(Change.REJECTED);

        State again = source.refresh(T2);

        assertThat(again.change()).isEqualTo(Change.UNCHANGED);
        assertThat(again.valid()).isFalse();
        assertThat(again.lastError()).get().asString().contains("bogus");
    }
}
