package io.rwautoscaler.testsupport;

import java.util.Map;

/** One element of an instant-query result: the series' labels and its value. */
public record Series(Map<String, String> labels, double value) {

    public String label(String name) {
        return labels.get(name);
    }

    @Override
    public String toString() {
        return labels + " " + value;
    }
}
