package io.rwautoscaler.hpa;

import java.util.List;

/** An HPA manifest kube-apiserver would reject (or that this port cannot run), with every problem found. */
public class InvalidHpaSpecException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidHpaSpecException(List<String> problems) {
        super("invalid HorizontalPodAutoscaler: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code field.path: what is wrong}, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
