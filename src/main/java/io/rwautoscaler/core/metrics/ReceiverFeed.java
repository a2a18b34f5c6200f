package io.rwautoscaler.core.metrics;

/**
 * Which pods are receivers, and which agents (by series labels) write to them: the runbook's HPA asks for
 * the agents' queue length on receive pods (see {@link Snapshot#custom}).
 */
public record ReceiverFeed(LabelSelector receiverPods, LabelSelector agents) {
    public static final ReceiverFeed DEFAULT =
            new ReceiverFeed(LabelSelector.parse("app=thanos-receive"), LabelSelector.parse(""));
}
