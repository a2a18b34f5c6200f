package io.rwautoscaler.lab;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The result charts (XChart, PNG): one figure per quantity, every strategy overlaid, time in minutes. */
final class Charts {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0x7f7f7f)};

    record Figure(String file, String title, String yLabel, ToDoubleFunction<Simulation.Point> value, boolean log) {
    }

    static final List<Figure> FIGURES = List.of(
            new Figure("load", "Load offered by the agents", "samples/s", Simulation.Point::load, false),
            new Figure("pending", "Samples pending in the agents' queues (sum)", "samples", Simulation.Point::pending, false),
            new Figure("lag", "Remote-write lag (worst agent)", "seconds", Simulation.Point::lag, false),
            new Figure("replicas", "Receiver replicas (StatefulSet spec)", "replicas", p -> p.replicas(), false),
            new Figure("utilization", "Receiver utilization (stored / ready receivers' capacity)", "%",
                    p -> 100 * p.utilization(), false));

    private Charts() {
    }

    /** Writes {@code <scenario>-<figure>.png} into {@code dir}; returns figure file name → title. */
    static Map<String, String> write(Path dir, String scenario, Map<String, Simulation.Run> runs) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Figure f : FIGURES) {
            XYChart chart = new XYChartBuilder().width(900).height(330).title(f.title())
                    .xAxisTitle("minutes").yAxisTitle(f.yLabel()).build();

            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            chart.getStyler().setPlotBackgroundColor(Color.WHITE);
            chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
            chart.getStyler().setLegendBackgroundColor(new Color(255, 255, 255, 210));
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            chart.getStyler().setMarkerSize(0);
            chart.getStyler().setYAxisMin(0.0);
            chart.getStyler().setXAxisDecimalPattern("0");
            chart.getStyler().setYAxisDecimalPattern("#,##0");
            chart.getStyler().setXAxisTickMarkSpacingHint(60);
            int i = 0;
            for (Map.Entry<String, Simulation.Run> e : runs.entrySet()) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (Simulation.Point p : e.getValue().points()) {
                    if (((long) p.t()) % 30 != 0) {
                        continue;
                    }
                    xs.add(p.t() / 60.0);
                    ys.add(f.value().applyAsDouble(p));
                }
                XYSeries series = chart.addSeries(e.getKey(), xs, ys);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineColor(COLORS[i % COLORS.length]);
                // later strategies are drawn over earlier ones: dash them so overlapping lines stay visible
                series.setLineStyle(new BasicStroke(i == 0 ? 2.4f : 1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
                        10f, i % 2 == 0 ? null : new float[] {7f, 4f}, 0f));
                i++;
                if (f.file().equals("load")) {
                    break; // the load is the same for every strategy
                }
            }
            String file = scenario + "-" + f.file() + ".png";
            BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
            out.put(file, f.title());
        }
        return out;
    }
}
