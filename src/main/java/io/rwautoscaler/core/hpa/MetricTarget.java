package io.rwautoscaler.core.hpa;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * {@code autoscaling/v2 MetricTarget}: the type and whichever of value, averageValue (both in milli-units, as
 * upstream reads them with {@code MilliValue()}) and averageUtilization (percent) is set.
 *
 * <p>Kept as upstream has it, type plus three optional fields, because the controller decides by which field is
 * set for some sources and by the type for others (an Object target of type Value with only averageValue set
 * fails at sync time, upstream and here).
 */
public record MetricTarget(TargetType type, OptionalLong valueMilli, OptionalLong averageValueMilli,
                           OptionalInt averageUtilization) {

    public MetricTarget {
        Objects.requireNonNull(type, "type");
        valueMilli = valueMilli == null ? OptionalLong.empty() : valueMilli;
        averageValueMilli = averageValueMilli == null ? OptionalLong.empty() : averageValueMilli;
        averageUtilization = averageUtilization == null ? OptionalInt.empty() : averageUtilization;
    }

    public static MetricTarget utilization(int percent) {
        return new MetricTarget(TargetType.UTILIZATION, OptionalLong.empty(), OptionalLong.empty(), OptionalInt.of(percent));
    }

    public static MetricTarget averageValueMilli(long milli) {
        return new MetricTarget(TargetType.AVERAGE_VALUE, OptionalLong.empty(), OptionalLong.of(milli), OptionalInt.empty());
    }

    public static MetricTarget valueMilli(long milli) {
        return new MetricTarget(TargetType.VALUE, OptionalLong.of(milli), OptionalLong.empty(), OptionalInt.empty());
    }
}
