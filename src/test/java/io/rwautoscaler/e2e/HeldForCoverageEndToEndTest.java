package io.rwautoscaler.e2e;

import io.rwautoscaler.core.receivers.Comparison;
import io.rwautoscaler.core.receivers.PolicyRule;
import io.rwautoscaler.core.receivers.ReceiverCapacity;
import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.core.receivers.ReplicaBounds;
import io.rwautoscaler.core.receivers.RuleAction;
import io.rwautoscaler.core.receivers.RuleEvaluation;
import io.rwautoscaler.core.receivers.RuleHoldHistory;
import io.rwautoscaler.core.receivers.RuleObservation;
import io.rwautoscaler.core.receivers.RuleState;
import io.rwautoscaler.core.receivers.RuleStatus;
import io.rwautoscaler.core.receivers.RunbookRules;
import io.rwautoscaler.prometheus.PrometheusClient;
import io.rwautoscaler.receivers.FailingQueues;
import io.rwautoscaler.receivers.RuleObserver;
import io.rwautoscaler.testsupport.RemoteWritePipeline;
import io.rwautoscaler.testsupport.TestPrometheusClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14's first case on a real Prometheus: agents started a minute ago, one of them piling up samples for an
 * endpoint that refuses everything. {@code min_over_time((queue)[15m:30s]) > 100} holds on the minute of data there
 * is, yet the 15-minute window was never observed: the rule is UNKNOWN, says how much it saw, and holds since no
 * earlier than the data. A short window the data does cover fires.
 */
class HeldForCoverageEndToEndTest {

    /** Before any pipeline process starts: no sample, hence no "held since", can be older. */
    static final Instant BEFORE_PIPELINE = Instant.now();

    @RegisterExtension
    static RemoteWritePipeline pipeline = RemoteWritePipeline.dedicated();

    static final Duration TIMEOUT = Duration.ofMinutes(4);

    /**
     * Every queue, the dead endpoint's included: this test is about coverage, and the default rules' expression
     * ({@link RunbookRules#AGENT_QUEUE}) leaves a failing endpoint's backlog out (see the last test).
     */
    static final String EVERY_QUEUE = "max(prometheus_remote_storage_samples_pending)";

    static PolicyRule queueAbove100(String name, Duration window) {
        return queueAbove100(name, EVERY_QUEUE, window);
    }

    static PolicyRule queueAbove100(String name, String expression, Duration window) {
        return new PolicyRule(name, expression, Comparison.GREATER, 100, window,
                RuleAction.ADD_AGENT_SHARDS, RunbookRules.AGENTS);
    }

    final PrometheusClient prometheus = TestPrometheusClient.of(pipeline.scraperUrl(), Duration.ofSeconds(20));
    final RuleObserver observer = new RuleObserver(prometheus);

    @Test
    void aFifteenMinuteWindowIsNotProvenByTheMinuteOfDataThereIs() throws InterruptedException {
        pipeline.awaitBrokenQueueAtLeast(200, TIMEOUT);
        PolicyRule rule = queueAbove100(RunbookRules.AGENT_QUEUE_HIGH, Duration.ofMinutes(15));
        ReceiverPolicy policy = new ReceiverPolicy(List.of(rule), ReplicaBounds.RUNBOOK, ReceiverCapacity.RUNBOOK, null);

        // The subquery's points sit on 30 s steps: wait for the first step above 100 (the "43 s later").
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Instant now;
        RuleObserver.Observed observed;
        RuleObservation seen;
        do {
            now = Instant.now();
            observed = observer.observe(policy, now);
            seen = observed.observations().get(rule.name());
            if (seen.provenValue().isPresent() && rule.holds(seen.provenValue().getAsDouble())) {
                break;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        assertThat(observed.errors()).isEmpty();
        // What the evaluation used to fire on: the bare window proof holds on the data there is.
        assertThat(seen.provenValue()).isPresent();
        assertThat(rule.holds(seen.provenValue().getAsDouble())).as("min_over_time over the data there is").isTrue();

        // A previous cycle had carried "held since" from before the data (the 16:17:30).
        RuleHoldHistory previous = new RuleHoldHistory(Map.of(rule.name(), now.minus(Duration.ofMinutes(15).plusSeconds(30))));
        Instant at = now;
        RuleStatus status = RuleEvaluation.evaluate(policy, observed.observations(), previous, at).status(rule.name())
                .orElseThrow();

        assertThat(status.state()).as(status.explanation()).isEqualTo(RuleState.UNKNOWN);
        assertThat(status.explanation()).containsPattern("only (\\d+m)?\\d+s of 15m observed");
        assertThat(status.heldSince()).hasValueSatisfying(since -> assertThat(since).isAfterOrEqualTo(BEFORE_PIPELINE));
        assertThat(status.heldFor()).isLessThanOrEqualTo(Duration.between(BEFORE_PIPELINE, now));
    }

    @Test
    void aWindowTheDataCoversFires() throws InterruptedException {
        PolicyRule rule = queueAbove100("agent-queue-above-100-for-1m", Duration.ofMinutes(1));
        ReceiverPolicy policy = new ReceiverPolicy(List.of(rule), ReplicaBounds.RUNBOOK, ReceiverCapacity.RUNBOOK, null);

        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        RuleStatus status;
        do {
            Instant now = Instant.now();
            status = RuleEvaluation.evaluate(policy, observer.observe(policy, now).observations(), RuleHoldHistory.empty(), now)
                    .status(rule.name()).orElseThrow();
            if (status.firing()) {
                break;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);

        assertThat(status.state()).as("within %s: %s", TIMEOUT, status.explanation()).isEqualTo(RuleState.FIRING);
        assertThat(status.windowNotCovered()).isFalse();
        assertThat(status.heldSince()).hasValueSatisfying(since -> assertThat(since).isAfterOrEqualTo(BEFORE_PIPELINE));
    }

    /**
     * Issue 14 item 2: the backlog of an endpoint that refuses everything is not pressure more receivers or agent
     * shards relieve. The same minute of data that fires a 1m queue rule over every queue leaves the default rules'
     * expression (dead endpoint left out) NOT_FIRING, and the dead queue is named by {@link FailingQueues}.
     */
    @Test
    void theDeadEndpointsBacklogIsNotAgentQueuePressure() throws InterruptedException {
        PolicyRule everyQueue = queueAbove100("every-queue-above-100-for-1m", Duration.ofMinutes(1));
        PolicyRule defaultQueue = queueAbove100("agent-queue-above-100-for-1m", RunbookRules.AGENT_QUEUE, Duration.ofMinutes(1));
        ReceiverPolicy policy = new ReceiverPolicy(List.of(everyQueue, defaultQueue), ReplicaBounds.RUNBOOK,
                ReceiverCapacity.RUNBOOK, null);

        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Instant now;
        RuleEvaluation evaluation;
        do {
            now = Instant.now();
            evaluation = RuleEvaluation.evaluate(policy, observer.observe(policy, now).observations(),
                    RuleHoldHistory.empty(), now);
            if (evaluation.status(everyQueue.name()).orElseThrow().firing()) {
                break;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        RuleStatus every = evaluation.status(everyQueue.name()).orElseThrow();
        assertThat(every.state()).as("within %s: %s", TIMEOUT, every.explanation()).isEqualTo(RuleState.FIRING);

        RuleStatus status = evaluation.status(defaultQueue.name()).orElseThrow();
        assertThat(status.state()).as(status.explanation()).isEqualTo(RuleState.NOT_FIRING);
        // What is left is the healthy agent's queue: present, and far below the dead one's.
        assertThat(status.currentValue()).as(status.explanation()).isPresent();
        assertThat(status.currentValue().getAsDouble()).isLessThan(every.currentValue().orElseThrow());

        FailingQueues failing = FailingQueues.observe(prometheus, now);
        assertThat(failing.error()).isEmpty();
        assertThat(failing.queues()).singleElement().satisfies(q -> {
            assertThat(q.pod()).isEqualTo(RemoteWritePipeline.BROKEN_AGENT_POD);
            assertThat(q.url()).isEqualTo(pipeline.brokenRemoteWriteUrl());
            assertThat(q.remoteName()).isEqualTo("broken-to-receive");
            // connection refused: every attempt is retried (or none counted as tried yet)
            q.failingShare().ifPresent(share -> assertThat(share).isGreaterThanOrEqualTo(0.9));
        });
    }
}
