package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.PromDuration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReceiverPolicyTest {

    final ReceiverPolicy defaults = ReceiverPolicy.defaults();

    /** The runbook's two tables, row by row. */
    @ParameterizedTest(name = "{0}: {1} {2} for {3} → {4}")
    @CsvSource({
            "agent-queue-high,          >,  5000, 15m, ADD_AGENT_SHARDS,               statefulset/monitoring/prometheus-agent",
            "receiver-cpu-high,         >,  0.8,  10m, ADD_RECEIVERS,                  statefulset/monitoring/thanos-receive",
            "receiver-memory-high,      >,  0.85, 10m, ADD_RECEIVER_MEMORY,            statefulset/monitoring/thanos-receive",
            "receiver-volume-high,      >,  0.7,  5m,  EXPAND_VOLUME_OR_CUT_RETENTION, statefulset/monitoring/thanos-receive",
            "receiver-latency-p99-high, >,  2,    10m, ADD_RECEIVERS,                  statefulset/monitoring/thanos-receive",
            "receiver-cpu-low,          <,  0.3,  1h,  REMOVE_RECEIVERS,               statefulset/monitoring/thanos-receive",
            "receiver-memory-low,       <,  0.4,  1h,  REMOVE_RECEIVER_MEMORY,         statefulset/monitoring/thanos-receive",
            "agent-queue-empty,         ==, 0,    30m, REMOVE_AGENT_SHARDS,            statefulset/monitoring/prometheus-agent",
    })
    void defaultsAreTheRunbookTable(String name, String comparison, double threshold, String forDuration,
                                    RuleAction action, String target) {
        PolicyRule rule = defaults.rule(name).orElseThrow();
        assertThat(rule.comparison().symbol()).isEqualTo(comparison);
        assertThat(rule.threshold()).isEqualTo(threshold);
        assertThat(rule.forDuration()).isEqualTo(PromDuration.parse(forDuration).orElseThrow());
        assertThat(rule.action()).isEqualTo(action);
        assertThat(rule.targetText()).isEqualTo(target);
    }

    @Test
    void defaultsHaveExactlyTheEightRunbookRowsAndTheRunbookBounds() {
        assertThat(defaults.rules()).hasSize(8);
        assertThat(defaults.rules()).filteredOn(r -> r.direction() == ScalingDirection.SCALE_OUT).hasSize(5);
        assertThat(defaults.bounds()).isEqualTo(new ReplicaBounds(3, 10));
        assertThat(defaults.capacity().samplesPerSecondPerReceiver()).isEqualTo(3500);
        assertThat(defaults.capacity().band()).isEqualTo(new UtilizationBand(0.70, 0.80));
        assertThat(defaults.evaluationStep()).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest(name = "{0} reads {1}")
    @CsvSource(delimiter = '|', value = {
            "agent-queue-high          | prometheus_remote_storage_samples_pending or prometheus_remote_storage_pending_samples",
            "receiver-cpu-high         | container_cpu_usage_seconds_total{namespace=\"monitoring\", container=\"thanos-receive\"}",
            "receiver-cpu-high         | kube_pod_container_resource_requests{",
            "receiver-cpu-high         | label_app=\"thanos-receive\"",
            "receiver-memory-high      | container_memory_working_set_bytes{",
            "receiver-memory-high      | kube_pod_container_resource_limits{",
            "receiver-volume-high      | kubelet_volume_stats_used_bytes{",
            "receiver-volume-high      | kubelet_volume_stats_capacity_bytes{",
            "receiver-latency-p99-high | histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace=\"monitoring\", handler=\"receive\"}[5m])))",
    })
    void defaultExpressionsReadTheDocumentedMetrics(String name, String fragment) {
        assertThat(defaults.rule(name).orElseThrow().expression()).contains(fragment);
    }

    @Test
    void scaleInRulesWatchTheSameExpressionAsTheirScaleOutCounterparts() {
        assertThat(defaults.rule("receiver-cpu-low").orElseThrow().expression())
                .isEqualTo(defaults.rule("receiver-cpu-high").orElseThrow().expression());
        assertThat(defaults.rule("receiver-memory-low").orElseThrow().expression())
                .isEqualTo(defaults.rule("receiver-memory-high").orElseThrow().expression());
        assertThat(defaults.rule("agent-queue-empty").orElseThrow().expression())
                .isEqualTo(defaults.rule("agent-queue-high").orElseThrow().expression());
    }

    @Test
    void everyDefaultRuleRendersItsWindowProof() {
        assertThat(defaults.proof(defaults.rule("agent-queue-high").orElseThrow()).conditionQuery()).isEqualTo(
                "min_over_time((" + RunbookRules.AGENT_QUEUE + ")[15m:30s]) > 5000");
        assertThat(defaults.proof(defaults.rule("agent-queue-empty").orElseThrow()).conditionQuery()).isEqualTo(
                "(min_over_time((" + RunbookRules.AGENT_QUEUE + ")[30m:30s]) == 0)"
                        + " and (max_over_time((" + RunbookRules.AGENT_QUEUE + ")[30m:30s]) == 0)");
        // The queue rules leave out queues whose endpoint fails (issue 14 item 2), with the shard tuner's threshold.
        assertThat(RunbookRules.AGENT_QUEUE).isEqualTo("max((prometheus_remote_storage_samples_pending"
                + " or prometheus_remote_storage_pending_samples) unless on (namespace, pod, instance, remote_name, url) "
                + RunbookRules.FAILING_QUEUES + ")");
        assertThat(RunbookRules.FAILING_QUEUES).endsWith(" >= " + io.rwautoscaler.core.shards.ShardTuner.ENDPOINT_FAILING_SHARE + ")");
        assertThat(defaults.proof(defaults.rule("receiver-cpu-low").orElseThrow()).conditionQuery())
                .startsWith("max_over_time((avg(").endsWith(")[1h:30s]) < 0.3");
        assertThat(defaults.proof(defaults.rule("receiver-latency-p99-high").orElseThrow()).conditionQuery())
                .startsWith("min_over_time((histogram_quantile(0.99,").endsWith(")[10m:30s]) > 2");
        assertThat(defaults.proofs()).hasSize(8);
    }

    @Test
    void defaultsRoundTripThroughThePolicyDocument() {
        PolicyValidation read = PolicyValidator.validate(defaults.toDocument());
        assertThat(read.problems()).isEmpty();
        assertThat(read.policy()).contains(defaults);
    }

    /** Receivers needed = ceil(samples/s ÷ (3500 × 0.8)), within 3–10. */
    @ParameterizedTest(name = "{0} samples/s → {1} receivers")
    @CsvSource({
            "8000,   3",
            "16000,  6",
            "0,      3",
            "5600,   3",
            "8400,   3",
            "8401,   4",
            "11200,  4",
            "11201,  5",
            "28000,  10",
            "100000, 10",
    })
    void receiversNeededForTheLoad(double samplesPerSecond, int expected) {
        assertThat(defaults.receiversNeeded(samplesPerSecond)).isEqualTo(expected);
    }

    @Test
    void theRunbookScenarioFitsTheDefaultCapacity() {
        ReceiverCapacity capacity = defaults.capacity();
        // steady state: 8,000 samples/s on 3 receivers is inside the 70–80% band
        assertThat(capacity.band().contains(capacity.utilization(8000, 3))).isTrue();
        assertThat(capacity.utilization(8000, 3)).isCloseTo(0.762, org.assertj.core.data.Offset.offset(0.001));
        // doubled: 16,000 samples/s needs the runbook's 5–6 receivers, and lands in the band
        assertThat(defaults.receiversNeeded(16000)).isBetween(5, 6);
        assertThat(capacity.band().contains(capacity.utilization(16000, defaults.receiversNeeded(16000)))).isTrue();
    }

    @Test
    void rawCapacityIgnoresBounds() {
        assertThat(defaults.capacity().receiversFor(0)).isZero();
        assertThat(defaults.capacity().receiversFor(-5)).isZero();
        assertThat(defaults.capacity().receiversFor(Double.NaN)).isZero();
        assertThat(defaults.capacity().receiversFor(2801)).isEqualTo(2);
        assertThat(defaults.capacity().utilization(100, 0)).isInfinite();
    }

    @Test
    void constructorsRejectWhatTheValidatorRejects() {
        assertThatThrownBy(() -> new ReplicaBounds(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplicaBounds(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UtilizationBand(0.8, 0.7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UtilizationBand(0.7, 1.2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReceiverCapacity(0, UtilizationBand.RUNBOOK)).isInstanceOf(IllegalArgumentException.class);
        PolicyRule rule = defaults.rules().get(0);
        assertThatThrownBy(() -> new ReceiverPolicy(List.of(rule, rule), ReplicaBounds.RUNBOOK, ReceiverCapacity.RUNBOOK, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> new PolicyRule("x", "  \n", Comparison.GREATER, 1, Duration.ZERO,
                RuleAction.ADD_RECEIVERS, RunbookRules.RECEIVERS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PolicyRule("x", "up", Comparison.GREATER, Double.NaN, Duration.ZERO,
                RuleAction.ADD_RECEIVERS, RunbookRules.RECEIVERS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ruleDirectionComesFromItsAction() {
        assertThat(RuleAction.ADD_RECEIVERS.direction()).isEqualTo(ScalingDirection.SCALE_OUT);
        assertThat(RuleAction.EXPAND_VOLUME_OR_CUT_RETENTION.direction()).isEqualTo(ScalingDirection.SCALE_OUT);
        assertThat(RuleAction.REMOVE_RECEIVER_MEMORY.direction()).isEqualTo(ScalingDirection.SCALE_IN);
        assertThat(RuleAction.ADD_RECEIVERS.opposes(RuleAction.REMOVE_RECEIVERS)).isTrue();
        assertThat(RuleAction.ADD_RECEIVERS.opposes(RuleAction.REMOVE_RECEIVER_MEMORY)).isFalse();
        assertThat(RuleAction.ADD_RECEIVERS.opposes(RuleAction.ADD_RECEIVERS)).isFalse();
    }

    @Test
    void expressionsLoseTheTrailingNewlineOfYamlBlockScalars() {
        PolicyRule rule = new PolicyRule("x", "  up\n", Comparison.GREATER, 1, null, RuleAction.ADD_RECEIVERS,
                RunbookRules.RECEIVERS);
        assertThat(rule.expression()).isEqualTo("up");
        assertThat(rule.forDuration()).isZero();
        assertThat(rule.condition()).isEqualTo("> 1");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "statefulset/monitoring/thanos-receive,        statefulset/monitoring/thanos-receive",
            "statefulsets/monitoring/thanos-receive,       statefulset/monitoring/thanos-receive",
            "StatefulSets.apps/monitoring/thanos-receive,  statefulset/monitoring/thanos-receive",
            "deployment/monitoring/prometheus-agent,       deployment/monitoring/prometheus-agent",
            "daemonset/monitoring/agent,                   daemonset/monitoring/agent",
    })
    void parsesTargets(String text, String normalized) {
        assertThat(PolicyRule.parseTarget(text).map(t -> new PolicyRule("x", "up", Comparison.GREATER, 1, null,
                RuleAction.ADD_RECEIVERS, t).targetText())).contains(normalized);
    }

    @ParameterizedTest
    @CsvSource({
            "thanos-receive", "monitoring/thanos-receive", "statefulset/thanos-receive", "pod/monitoring/thanos-receive-0",
            "service/monitoring/thanos-receive", "statefulset/monitoring/thanos_receive", "statefulset//thanos-receive",
            "statefulset/monitoring/thanos-receive/extra", "widget/monitoring/x", "statefulset/Monitoring/x",
    })
    void rejectsTargetsThatAreNotWorkloads(String text) {
        assertThat(PolicyRule.parseTarget(text)).isEmpty();
    }
}
