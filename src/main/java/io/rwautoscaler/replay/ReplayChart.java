package io.rwautoscaler.replay;

import io.rwautoscaler.core.receivers.RunbookRules;
import io.rwautoscaler.core.replay.ReplayDecision;
import io.rwautoscaler.core.replay.ReplayResult;
import io.rwautoscaler.core.replay.ReplayTimeline;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;

/**
 * {@code ?format=svg}: the replay as a timeline (XChart, the lab's charting library): the replicas the cluster ran
 * and the ones the replay would have run (left axis), the receivers' CPU as recorded and as the replayed fleet
 * would have seen it, and the agents' worst queue (right axis), with every decision that changed something marked;
 * with an HPA on the receivers, the replicas it would have set (dashed, purple).
 */
final class ReplayChart {

    static final String MEDIA_TYPE = "image/svg+xml";
    private static final Color RECORDED = new Color(0x7f7f7f);
    private static final Color REPLAYED = new Color(0x1f77b4);
    private static final Color CPU = new Color(0xd62728);
    private static final Color QUEUE = new Color(0x2ca02c);
    private static final Color HPA = new Color(0x9467bd);

    private ReplayChart() {
    }

    static byte[] svg(ReplayResult r, String title) {
        System.setProperty("java.awt.headless", "true");
        ReplayTimeline t = r.timeline();
        XYChart chart = new XYChartBuilder().width(1200).height(500).title(title).xAxisTitle("time (UTC)")
                .yAxisTitle("receivers").build();
        Styler styler = chart.getStyler();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setDatePattern(t.grid().size() * t.grid().stepMillis() > 2 * 86_400_000L ? "MM-dd HH:mm" : "HH:mm");
        chart.getStyler().setTimezone(TimeZone.getTimeZone("UTC"));
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMin(1, 0.0);
        styler.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.setYAxisGroupTitle(0, "receivers");
        chart.setYAxisGroupTitle(1, "CPU % of request / agent queue, thousands of samples");

        List<Date> times = new ArrayList<>(t.grid().size());
        for (int i = 0; i < t.grid().size(); i++) {
            times.add(new Date(t.grid().millis(i)));
        }
        line(chart, "replicas the cluster ran", times, t.column(ReplayTimeline.RECORDED_REPLICAS), 1, 0, RECORDED, 2.5f);
        line(chart, "replicas the replay would have run", times, t.column(ReplayTimeline.REPLAYED_REPLICAS), 1, 0,
                REPLAYED, 2.5f);
        if (t.columns().containsKey(ReplayTimeline.HPA_REPLICAS)) {
            XYSeries s = line(chart, "replicas the HPA would have set", times, t.column(ReplayTimeline.HPA_REPLICAS), 1, 0,
                    HPA, 2f);
            s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 4f}, 0f));
        }
        String cpu = ReplayTimeline.RULE + RunbookRules.RECEIVER_CPU_HIGH;
        if (t.columns().containsKey(cpu)) {
            line(chart, "receiver CPU on the replayed fleet (%)", times, t.column(cpu), 100, 1, CPU, 1.5f);
        }
        String cpuRecorded = ReplayTimeline.RECORDED_RULE + RunbookRules.RECEIVER_CPU_HIGH;
        if (t.columns().containsKey(cpuRecorded)) {
            XYSeries s = line(chart, "receiver CPU as recorded (%)", times, t.column(cpuRecorded), 100, 1, CPU, 1f);
            s.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        }
        String queue = ReplayTimeline.RULE + RunbookRules.AGENT_QUEUE_HIGH;
        if (t.columns().containsKey(queue)) {
            line(chart, "worst agent queue (thousands)", times, t.column(queue), 0.001, 1, QUEUE, 1.5f);
        }

        List<Date> at = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (ReplayDecision d : r.decisions()) {
            if (d.loop().equals(ReplayDecision.RECEIVERS) && d.outcome().acts()) {
                int i = t.grid().exactly(d.at().toEpochMilli());
                at.add(Date.from(d.at()));
                y.add(i >= 0 ? t.column(ReplayTimeline.REPLAYED_REPLICAS)[i] : 0.0);
            }
        }
        if (!at.isEmpty()) {
            XYSeries s = chart.addSeries("receiver scaling decisions", at, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.DIAMOND);
            s.setMarkerColor(Color.BLACK);
            s.setYAxisGroup(0);
        }
        List<Date> shardAt = new ArrayList<>();
        List<Double> shardY = new ArrayList<>();
        double[] changes = t.column(ReplayTimeline.SHARD_CHANGES);
        for (int i = 0; i < changes.length; i++) {
            if (changes[i] > 0) {
                shardAt.add(times.get(i));
                shardY.add(0.0);
            }
        }
        if (!shardAt.isEmpty()) {
            XYSeries s = chart.addSeries("shard tuner changes", shardAt, shardY);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.TRIANGLE_UP);
            s.setMarkerColor(new Color(0xff7f0e));
            s.setYAxisGroup(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static XYSeries line(XYChart chart, String name, List<Date> times, double[] values, double scale, int axis,
                                 Color color, float width) {
        List<Double> y = new ArrayList<>(values.length);
        for (double v : values) {
            y.add(Double.isFinite(v) ? v * scale : Double.NaN);
        }
        XYSeries s = chart.addSeries(name, times, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineWidth(width);
        s.setYAxisGroup(axis);
        return s;
    }
}
