package io.rwautoscaler.replay;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code ?format=csv}: one row per decision, the JSON report's {@code decisions} flattened for a spreadsheet, then one
 * row per rescale of the receivers' HPA as replayed (loop {@code hpa}, outcome {@code hpa-rescale}).
 */
final class ReplayCsv {

    static final String MEDIA_TYPE = "text/csv; charset=utf-8";
    static final List<String> HEADER = List.of("time", "loop", "target", "action", "amount", "outcome",
            "apply_would_act", "rules", "figures", "reason", "why");

    private ReplayCsv() {
    }

    static String of(ReplayView view) {
        StringBuilder out = new StringBuilder(String.join(",", HEADER)).append('\n');
        for (ReplayView.Decision d : view.decisions()) {
            List<String> cells = List.of(d.time(), d.loop(), d.target(), d.action(), d.amount(), d.outcome(),
                    String.valueOf(d.applyWouldAct()), String.join(" ", d.rules()), figures(d.figures()), d.reason(),
                    d.why());
            out.append(cells.stream().map(ReplayCsv::cell).collect(Collectors.joining(","))).append('\n');
        }
        if (view.hpa().rescales() != null) {
            for (ReplayView.Rescale e : view.hpa().rescales()) {
                List<String> cells = List.of(e.time(), "hpa", view.hpa().name(), e.to() > e.from() ? "SCALE_UP" : "SCALE_DOWN",
                        "replicas " + e.from() + " → " + e.to(), "hpa-rescale", "false", "", "", e.message(),
                        "what the HPA would have done, beside the policy");
                out.append(cells.stream().map(ReplayCsv::cell).collect(Collectors.joining(","))).append('\n');
            }
        }
        return out.toString();
    }

    private static String figures(Map<String, Double> figures) {
        return figures.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break; a leading formula character is defused. */
    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !v.matches("-?[0-9.]+")) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
