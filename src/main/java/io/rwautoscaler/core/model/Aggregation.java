package io.rwautoscaler.core.model;

import java.util.Collection;
import java.util.OptionalDouble;

/** How several series that describe one object (e.g. two queues of one agent pod) become one value. */
public enum Aggregation {
    SUM, MAX, MIN, AVG;

    public OptionalDouble apply(Collection<Double> values) {
        if (values.isEmpty()) {
            return OptionalDouble.empty();
        }
        var stream = values.stream().mapToDouble(Double::doubleValue);
        return switch (this) {
            case SUM -> OptionalDouble.of(stream.sum());
            case MAX -> stream.max();
            case MIN -> stream.min();
            case AVG -> stream.average();
        };
    }
}
