package io.rwautoscaler.core.model;

/**
 * The one definition of "this remote-write queue's endpoint is failing", shared by the shard tuner (its
 * {@code endpoint-failing} state), the receiver policy (whose agent-queue rules leave such queues out) and the
 * served queue length spread over the receivers: retried plus failed samples are at least {@link #SHARE} of the
 * samples tried. Prometheus counts every attempt in {@code samples_total}, so a dead endpoint reads about 100%;
 * samples retried with none tried count as failing too.
 */
public final class EndpointFailure {

    /** Share of tried samples retried or dropped from which the endpoint counts as failing. */
    public static final double SHARE = 0.9;

    /** Per-queue selectors: the labels that tell one agent's queue from another, with or without Kubernetes SD. */
    public static final String QUEUE_LABELS = "namespace, pod, instance, remote_name, url";

    /**
     * Every failing queue over 5m (the shard tuner's default rate window): what the receiver policy leaves out of
     * its agent-queue rules and the served queue length leaves out of the receivers' share.
     */
    public static final String FAILING_QUEUES = failingQueuesPromql("5m");

    private EndpointFailure() {
    }

    /** Whether {@code bad} (retried + failed samples/s) out of {@code tried} samples/s means a failing endpoint. */
    public static boolean failing(double bad, double tried) {
        return bad > 0 && (tried <= 0 || bad / tried >= SHARE);
    }

    /**
     * {@code query}'s series without the queues whose endpoint fails at that instant (over 5m): a backlog no receiver
     * or agent shard can drain. {@code on (...)} reads an absent label as empty, as the snapshot's per-queue key does,
     * so the same series are left out live, in the receiver policy and in the replay.
     */
    public static String withoutFailingQueues(String query) {
        return "(" + query + ") unless on (" + QUEUE_LABELS + ") " + FAILING_QUEUES;
    }

    /**
     * PromQL: one series per failing queue ({@link #QUEUE_LABELS}), its value the share of samples tried that were
     * retried or dropped over {@code rateWindow} ({@code +Inf} when none were tried). A queue with nothing retried
     * or dropped never matches ({@code 0/0} is NaN, {@code 0/x} is 0). Metric names of Prometheus before 2.26 are
     * the fallbacks.
     */
    public static String failingQueuesPromql(String rateWindow) {
        String bad = "(" + rate("prometheus_remote_storage_samples_retried_total", "prometheus_remote_storage_retried_samples_total", rateWindow)
                + " + " + rate("prometheus_remote_storage_samples_failed_total", "prometheus_remote_storage_failed_samples_total", rateWindow) + ")";
        String tried = rate("prometheus_remote_storage_samples_total", "prometheus_remote_storage_succeeded_samples_total", rateWindow);
        return "(" + bad + " / " + tried + " >= " + SHARE + ")";
    }

    private static String rate(String metric, String before226, String window) {
        return "sum by (" + QUEUE_LABELS + ") (rate(" + metric + "[" + window + "]) or rate(" + before226 + "[" + window + "]))";
    }
}
