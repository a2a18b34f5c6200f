package io.rwautoscaler.sizing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v1/rightsizing?format=csv}: one row per container and resource, plus a {@code replicas} row for
 * workloads an HPA scales; RFC 4180 quoting. {@code monthly_saving} is the workload's and stands on its first row
 * only, so that the column sums to the total.
 */
final class RightSizingCsv {

    static final String MEDIA_TYPE = "text/csv; charset=utf-8";
    static final List<String> HEADER = List.of("cluster", "namespace", "kind", "workload", "container", "resource",
            "verdict", "current_request", "recommended_request", "current_limit", "recommended_limit", "delta",
            "usage_points", "usage_coverage_hours", "usage_gaps", "usage_percentile", "usage_max", "usage_mean",
            "monthly_saving", "partial", "reason");

    private RightSizingCsv() {
    }

    static String of(RightSizingView view) {
        StringBuilder out = new StringBuilder();
        line(out, HEADER);
        for (RightSizingView.Item item : view.items()) {
            BigDecimal saving = item.monthlyCost().saving();
            if (item.replicas() != null) {
                RightSizingView.Replicas r = item.replicas();
                line(out, row(item, "", "replicas", r.verdict(), r.current(), r.recommended(), null, null, r.delta(),
                        null, saving, r.reason()));
                saving = null;
            }
            for (RightSizingView.Container c : item.containers()) {
                line(out, row(item, c.container(), "cpu", c.cpu(), saving));
                saving = null;
                line(out, row(item, c.container(), "memory", c.memory(), null));
            }
        }
        return out.toString();
    }

    private static List<Object> row(RightSizingView.Item item, String container, String resource,
                                    RightSizingView.Resource r, BigDecimal saving) {
        return row(item, container, resource, r.verdict(), r.current().request(), r.recommended().request(),
                r.current().limit(), r.recommended().limit(), r.delta(), r.usage(), saving, r.reason());
    }

    private static List<Object> row(RightSizingView.Item item, String container, String resource, String verdict,
                                    Object current, Object recommended, Object currentLimit, Object recommendedLimit,
                                    Double delta, RightSizingView.Usage usage, BigDecimal saving, String reason) {
        List<Object> row = new ArrayList<>(List.of(item.cluster(), item.namespace(), item.kind(), item.workload(),
                container, resource, verdict));
        row.add(current);
        row.add(recommended);
        row.add(currentLimit);
        row.add(recommendedLimit);
        row.add(delta);
        row.add(usage == null ? null : usage.points());
        row.add(usage == null ? null : usage.coverageHours());
        row.add(usage == null ? null : usage.gaps());
        row.add(usage == null ? null : usage.percentile());
        row.add(usage == null ? null : usage.max());
        row.add(usage == null ? null : usage.mean());
        row.add(saving == null ? null : saving.toPlainString());
        row.add(item.partial());
        row.add(item.partial() ? reason + "; PARTIAL: " + String.join("; ", item.partialReasons()) : reason);
        return row;
    }

    private static void line(StringBuilder out, List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
