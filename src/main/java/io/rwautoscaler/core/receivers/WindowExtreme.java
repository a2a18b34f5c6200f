package io.rwautoscaler.core.receivers;

/** Which extreme of a window proves a condition held at every point of it. */
public enum WindowExtreme {
    MIN("min_over_time"), MAX("max_over_time");

    private final String promqlFunction;

    WindowExtreme(String promqlFunction) {
        this.promqlFunction = promqlFunction;
    }

    public String promqlFunction() {
        return promqlFunction;
    }
}
