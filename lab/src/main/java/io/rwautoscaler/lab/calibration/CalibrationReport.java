package io.rwautoscaler.lab.calibration;

import io.rwautoscaler.lab.LoadCurve;
import io.rwautoscaler.lab.Scenario;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** calibration.md and calibration.png: the real agents against the model, over the same seconds. */
final class CalibrationReport {

    static final double PENDING_THRESHOLD = 5000;
    /** The backlog counts as drained once the worst lag stays below this for 10 s. */
    static final double DRAINED_LAG_SECONDS = 10;
    private static final Color REAL = new Color(0x1f77b4);
    private static final Color MODEL = new Color(0xd62728);

    private CalibrationReport() {
    }

    /** One compared figure: real, model, and whether the difference is within its tolerance (null: no tolerance). */
    record Row(String quantity, double real, double model, String unit, String tolerance, Boolean within) {
    }

    static Trace readCsv(String name, String csv) {
        List<String> rows = csv.lines().filter(l -> !l.isBlank() && !l.startsWith("seconds") && !l.startsWith("#")).toList();
        double lost = csv.lines().filter(l -> l.startsWith("# lost ")).mapToDouble(l -> Double.parseDouble(l.substring(7).strip()))
                .findFirst().orElse(0);
        Trace tr = Trace.empty(name, rows.size() - 1);
        double[][] cols = {tr.load(), tr.pendingMax(), tr.lagMax(), tr.shards(), tr.desired(), tr.storedPerSecond(),
                tr.refusedPerSecond(), tr.pendingMean(), tr.lagMean()};
        for (int t = 0; t < rows.size(); t++) {
            String[] c = rows.get(t).split(",", -1);
            for (int i = 0; i < cols.length && i + 1 < c.length; i++) {
                cols[i][t] = c[i + 1].isEmpty() ? Double.NaN : Double.parseDouble(c[i + 1]);
            }
        }
        return tr.withLost(lost);
    }

    /** Load step up and back down, from the scenario's curve (seconds). */
    record Steps(double up, double down) {
        static Steps of(LoadCurve load, double end) {
            double up = Double.NaN;
            double down = Double.NaN;
            List<LoadCurve.Point> p = load.points();
            for (int i = 1; i < p.size(); i++) {
                if (Double.isNaN(up) && p.get(i).samplesPerSecond() > p.get(i - 1).samplesPerSecond()) {
                    up = p.get(i).atSeconds();
                } else if (!Double.isNaN(up) && Double.isNaN(down) && p.get(i).samplesPerSecond() < p.get(i - 1).samplesPerSecond()) {
                    down = p.get(i).atSeconds();
                }
            }
            return new Steps(up, Double.isNaN(down) ? end : down);
        }
    }

    static List<Row> compare(Scenario s, Trace real, Trace model) {
        int end = Math.min(real.seconds(), model.seconds());
        Steps st = Steps.of(s.load(), end);
        int up = (int) st.up();
        int down = (int) st.down();
        double capacity = s.receivers().replicas() * s.receivers().samplesPerSecondPerReplica();
        List<Row> rows = new ArrayList<>();
        double rp = firstAtOrAbove(real.pendingMax(), up, end, PENDING_THRESHOLD) - up;
        double mp = firstAtOrAbove(model.pendingMax(), up, end, PENDING_THRESHOLD) - up;
        rows.add(new Row("time from the step to pending > 5,000 (worst agent)", rp, mp, "s", "20 %",
                bothFinite(rp, mp) ? Math.abs(mp - rp) <= 0.2 * rp : null));
        double rpm = firstAtOrAbove(real.pendingMean(), up, end, PENDING_THRESHOLD) - up;
        double mpm = firstAtOrAbove(model.pendingMean(), up, end, PENDING_THRESHOLD) - up;
        rows.add(new Row("time from the step to pending > 5,000 (mean of the agents)", rpm, mpm, "s", "20 %",
                bothFinite(rpm, mpm) ? Math.abs(mpm - rpm) <= 0.2 * rpm : null));
        rows.add(new Row("peak pending (worst agent)", max(real.pendingMax(), 0, end), max(model.pendingMax(), 0, end),
                "samples", "20 %", within(max(real.pendingMax(), 0, end), max(model.pendingMax(), 0, end), 0.2)));
        rows.add(steady("shards per agent before the step (median of the 30 s before it)", real, model, up - 30, up));
        rows.add(steady("shards per agent under the surge (median of the 30 s before the load falls)", real, model,
                down - 30, down));
        rows.add(steady("shards per agent at the end (median of the last 30 s)", real, model, end - 30, end));
        rows.add(new Row("peak shards per agent", max(real.shards(), 0, end), max(model.shards(), 0, end), "", "1",
                Math.abs(max(real.shards(), 0, end) - max(model.shards(), 0, end)) <= 1));
        double rs = mean(real.storedPerSecond(), up + 20, down);
        double ms = mean(model.storedPerSecond(), up + 20, down);
        rows.add(new Row(String.format(Locale.ROOT, "samples/s stored while over capacity (%.0f/s; mean from 20 s after the step)",
                capacity), rs, ms, "samples/s", "10 %", within(rs, ms, 0.1)));
        double rl = max(real.lagMax(), 0, end);
        double ml = max(model.lagMax(), 0, end);
        rows.add(new Row("peak lag (worst agent)", rl, ml, "s", "20 %", within(rl, ml, 0.2)));
        double rlm = max(real.lagMean(), 0, end);
        double mlm = max(model.lagMean(), 0, end);
        rows.add(new Row("peak lag (mean of the agents)", rlm, mlm, "s", "20 %", within(rlm, mlm, 0.2)));
        double rd = drained(real.lagMax(), down, end) - down;
        double md = drained(model.lagMax(), down, end) - down;
        rows.add(new Row("backlog drain time (load falls → worst lag below 10 s for 10 s)", rd, md, "s", "20 %",
                bothFinite(rd, md) ? Math.abs(md - rd) <= 0.2 * rd : null));
        double rdm = drained(real.lagMean(), down, end) - down;
        double mdm = drained(model.lagMean(), down, end) - down;
        rows.add(new Row("backlog drain time (load falls → mean lag below 10 s for 10 s)", rdm, mdm, "s", "20 %",
                bothFinite(rdm, mdm) ? Math.abs(mdm - rdm) <= 0.2 * rdm : null));
        rows.add(new Row("samples lost (real: prometheus_remote_storage_samples_failed_total)", real.lost(), model.lost(),
                "samples", "equal", Math.round(real.lost()) == Math.round(model.lost())));
        return rows;
    }

    private static Row steady(String what, Trace real, Trace model, int from, int to) {
        double r = median(real.shards(), from, to);
        double m = median(model.shards(), from, to);
        return new Row(what, r, m, "", "1", bothFinite(r, m) ? Math.abs(r - m) <= 1 : null);
    }

    private static boolean bothFinite(double a, double b) {
        return Double.isFinite(a) && Double.isFinite(b);
    }

    private static Boolean within(double real, double model, double fraction) {
        if (!bothFinite(real, model)) {
            return null;
        }
        return Math.abs(model - real) <= fraction * Math.abs(real);
    }

    static double firstAtOrAbove(double[] a, int from, int to, double threshold) {
        for (int t = Math.max(0, from); t <= Math.min(to, a.length - 1); t++) {
            if (a[t] > threshold) {
                return t;
            }
        }
        return Double.NaN;
    }

    static double drained(double[] lag, int from, int to) {
        int below = 0;
        for (int t = Math.max(0, from); t <= Math.min(to, lag.length - 1); t++) {
            if (!Double.isNaN(lag[t]) && lag[t] < DRAINED_LAG_SECONDS) {
                below++;
                if (below >= 10) {
                    return t - 9;
                }
            } else {
                below = 0;
            }
        }
        return Double.NaN;
    }

    static double max(double[] a, int from, int to) {
        double m = Double.NaN;
        for (int t = Math.max(0, from); t <= Math.min(to, a.length - 1); t++) {
            if (!Double.isNaN(a[t]) && (Double.isNaN(m) || a[t] > m)) {
                m = a[t];
            }
        }
        return m;
    }

    static double mean(double[] a, int from, int to) {
        double sum = 0;
        int n = 0;
        for (int t = Math.max(0, from); t < Math.min(to, a.length); t++) {
            if (!Double.isNaN(a[t])) {
                sum += a[t];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    static double median(double[] a, int from, int to) {
        double[] v = Arrays.stream(a, Math.max(0, from), Math.min(to, a.length)).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static void write(Path out, Path scenarioFile, Scenario s, Trace real, Trace model, String conditions) throws IOException {
        chart(out.resolve("calibration.png"), s, real, model);
        List<Row> rows = compare(s, real, model);
        Scenario.QueueSettings q = s.agents().queueConfig();
        StringBuilder md = new StringBuilder();
        md.append("# Calibration: the lab against real Prometheus agents\n\n");
        md.append("Generated by `lab/calibrate.sh` (issue 16, item 5) from `").append(scenarioFile).append("`. ")
                .append("Real: ").append(conditions).append(".\n\n");
        md.append("## The setting\n\n");
        md.append(String.format(Locale.ROOT, """
                - **Agents**: %d real Prometheus agents (`prometheus --enable-feature=agent`), each scraping a load source \
                every %d s whose series count follows the load curve (series per agent = samples/s ÷ %d agents × %d s, \
                less the 5 samples Prometheus adds per scrape, over 10 targets whose scrapes Prometheus spreads over the \
                interval, as in a fleet), \
                `queue_config: {min_shards: %d, max_shards: %d, capacity: %d, max_samples_per_send: %d, \
                batch_send_deadline: %s, min_backoff: %s, max_backoff: %s}`, flush deadline %s.
                - **Receivers**: a throttling proxy standing for %d receivers of %,.0f samples/s (%,.0f samples/s in all): \
                it decodes each remote-write request (snappy, then the `WriteRequest` protobuf) to count its samples, \
                admits it from a token bucket of that rate (one second of burst) or answers 503 (recoverable, as an \
                overloaded Thanos Receive does), answers every request after %d ms, and forwards what it admits to a real \
                Prometheus with `--web.enable-remote-write-receiver`.
                - **Load**: %s.
                - **Recorded**: the agents' own `/metrics`, scraped every second by the receiving Prometheus and read back \
                with `query_range` (step 1 s): `prometheus_remote_storage_samples_pending` (worst agent), lag = \
                `highest_timestamp_in_seconds − queue_highest_sent_timestamp_seconds` (worst agent), \
                `prometheus_remote_storage_shards` and `..._shards_desired` (mean per agent), \
                `..._samples_failed_total`; the proxy's admitted and refused samples per second.
                - **Model**: the same scenario file through the lab (`hpa-queue`, receivers held at %d by \
                minReplicas = maxReplicas), recorded every second, after its 20-minute warm-up at the first load point.

                """, s.agents().count(), Calibration.AGENT_SCRAPE.toSeconds(), s.agents().count(),
                Calibration.AGENT_SCRAPE.toSeconds(), q.minShards(), q.maxShards(), q.capacity(), q.maxSamplesPerSend(),
                q.batchSendDeadline().toMillis() + "ms", q.minBackoff().toMillis() + "ms", q.maxBackoff().toMillis() + "ms",
                q.flushDeadline().toSeconds() + "s", s.receivers().replicas(), s.receivers().samplesPerSecondPerReplica(),
                s.receivers().replicas() * s.receivers().samplesPerSecondPerReplica(), s.receivers().sendLatency().toMillis(),
                describe(s.load()), s.receivers().replicas()));
        md.append("![real agents (solid) against the model (dashed)](calibration.png)\n\n");
        md.append("## Differences\n\n");
        md.append("| quantity | real | model | difference | tolerance | within |\n| --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            md.append("| ").append(r.quantity()).append(" | ").append(fmt(r.real(), r.unit())).append(" | ")
                    .append(fmt(r.model(), r.unit())).append(" | ").append(diff(r)).append(" | ").append(r.tolerance())
                    .append(" | ").append(r.within() == null ? "n/a" : r.within() ? "yes" : "**no**").append(" |\n");
        }
        md.append("\nThe per-second series: `calibration-real.csv`, `calibration-model.csv`, and each real agent's own in "
                + "`calibration-real-agents.csv` (beside this file). Wall-clock time matters: the queue manager "
                + "reshards every 10 s and backs off for up to `max_backoff`, so both sides run the same seconds.\n\n");
        md.append("""
                ## What the model cannot show

                - **Unequal agents.** The lab's agents are identical and share the receivers' capacity evenly. Real \
                agents behind one bottleneck do not: one falls behind, reshards more (2.42 reshards while it retries, \
                flushing its shards each time) and lags more, while the other keeps up with fewer shards (see \
                `calibration-real-agents.csv`; in one run one agent sat at `max_shards` with 3-5× the other's lag). \
                The model's lag follows the worst agent's; the mean agent lags less. The product's served lag (max \
                over agents) shows the worst agent; the queue metric (a sum) is not affected.
                - **Lockstep.** Identical model agents wake their WAL watchers in the same second, so the model's \
                stored rate dips to zero in single seconds where real agents fill each other's gaps: the model stores \
                less under refusals than the real agents, and its backlog and lag grow a little faster.
                - **Bursts.** Real agents append each target's scrape at once, so real `samples_pending` jumps \
                with every scrape; the model's is a fluid level. With one target per agent (every sample of a scrape \
                at once) the real agents showed ~1,700 pending before the step, against ~500 with ten and the \
                model's ~150.
                - **Refusals.** The proxy refuses whole requests with 503 from a token bucket; the model refuses a \
                fraction of a fluid flow. 429 (Thanos' limits; 2.42 drops it unless `retry_on_http_429`), replication \
                and the receivers' own latency under load are not calibrated here: the proxy's latency is fixed \
                (`sendLatencyModel: constant`), so this compares the agents' queues, not a real Thanos Receive.
                - **One setting.** One queue shape (small batches, 100 ms), one step, two agents, a loaded 2-core \
                machine. Other settings (the runbook's 2,000-sample batches, 30 s scrapes) are the model's \
                extrapolation.
                """);
        Files.writeString(out.resolve("calibration.md"), md.toString());
    }

    private static String describe(LoadCurve load) {
        StringBuilder b = new StringBuilder();
        for (LoadCurve.Point p : load.points()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(String.format(Locale.ROOT, "%,.0f samples/s at %.0f s", p.samplesPerSecond(), p.atSeconds()));
        }
        return b.toString();
    }

    private static String fmt(double v, String unit) {
        if (Double.isNaN(v)) {
            return "never";
        }
        String n = Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        return unit.isEmpty() ? n : n + " " + unit;
    }

    private static String diff(Row r) {
        if (!bothFinite(r.real(), r.model())) {
            return "n/a";
        }
        double d = r.model() - r.real();
        String abs = Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%+,.0f", d) : String.format(Locale.ROOT, "%+.1f", d);
        return r.real() == 0 ? abs : abs + String.format(Locale.ROOT, " (%+.0f %%)", 100 * d / Math.abs(r.real()));
    }

    private static void chart(Path file, Scenario s, Trace real, Trace model) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        charts.add(panel("Samples pending (worst agent)", "samples", real, model, Trace::pendingMax, null, null));
        charts.add(panel("Lag: newest sample in − newest sent (worst agent; thin: mean of the agents)", "seconds", real,
                model, Trace::lagMax, Trace::lagMean, "mean"));
        charts.add(panel("Shards per agent (thin: desired)", "shards", real, model, Trace::shards, Trace::desired,
                "desired"));
        charts.add(panel("Samples/s stored by the receiver (real: admitted by the proxy, 5 s mean)", "samples/s", real,
                model, Trace::storedPerSecond, Trace::load, "load"));
        BitmapEncoder.saveBitmap(charts, charts.size(), 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart panel(String title, String y, Trace real, Trace model, Function<Trace, double[]> value,
                                 Function<Trace, double[]> thin, String thinName) {
        XYChart c = new XYChartBuilder().width(900).height(260).title(title).xAxisTitle("seconds").yAxisTitle(y).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        c.getStyler().setMarkerSize(0);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisDecimalPattern("#,##0.#");
        add(c, "real", value.apply(real), REAL, 2.2f, null);
        add(c, "model", value.apply(model), MODEL, 2.0f, new float[] {7f, 4f});
        if ("load".equals(thinName)) {
            add(c, "load offered", thin.apply(real), new Color(0x7f7f7f), 1.0f, null);
        } else if (thin != null) {
            add(c, "real " + thinName, thin.apply(real), new Color(0x7f7f7f), 1.0f, null);
            add(c, "model " + thinName, thin.apply(model), new Color(0xff9896), 1.0f, new float[] {3f, 3f});
        }
        return c;
    }

    private static void add(XYChart c, String name, double[] v, Color color, float width, float[] dash) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int t = 0; t < v.length; t++) {
            if (!Double.isNaN(v[t])) {
                xs.add((double) t);
                ys.add(v[t]);
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries s = c.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f));
    }
}
