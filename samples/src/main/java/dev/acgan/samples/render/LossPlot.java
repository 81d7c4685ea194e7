package dev.acgan.samples.render;

import dev.acgan.samples.run.MetricsRow;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code loss.png}: XChart line charts stacked, the discriminator's losses (total and the four
 * components) above the generator's (total, adversarial, auxiliary), against the step, and below them,
 * when the run measured its generator ({@code --eval-every}), the conditional accuracy (left axis) and
 * FID (right axis) of those measurements. Components that are zero throughout (the class terms of a CGAN
 * or GAN) are left out. Long runs are averaged into at most {@value #MAX_POINTS} points per series.
 */
public final class LossPlot {

    /** Width of the picture. */
    public static final int WIDTH = 900;
    /** Height of each of the two charts. */
    public static final int CHART_HEIGHT = 360;
    /** Points per series at most. */
    public static final int MAX_POINTS = 1500;

    private LossPlot() {
    }

    /** Renders the rows (at least one). */
    public static BufferedImage render(List<MetricsRow> rows, String title) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no metrics to plot");
        }
        Map<String, ToDoubleFunction<MetricsRow>> d = new LinkedHashMap<>();
        d.put("D total", MetricsRow::dTotal);
        d.put("real adversarial", MetricsRow::dRealAdv);
        d.put("fake adversarial", MetricsRow::dFakeAdv);
        d.put("real auxiliary", MetricsRow::dRealAux);
        d.put("fake auxiliary", MetricsRow::dFakeAux);
        Map<String, ToDoubleFunction<MetricsRow>> g = new LinkedHashMap<>();
        g.put("G total", MetricsRow::gTotal);
        g.put("adversarial", MetricsRow::gAdv);
        g.put("auxiliary", MetricsRow::gAux);
        List<BufferedImage> charts = new ArrayList<>();
        charts.add(BitmapEncoder.getBufferedImage(chart(rows, "Discriminator loss" + suffix(title), d)));
        charts.add(BitmapEncoder.getBufferedImage(chart(rows, "Generator loss" + suffix(title), g)));
        List<MetricsRow> measured = rows.stream().filter(MetricsRow::evaluated).toList();
        if (!measured.isEmpty()) {
            charts.add(BitmapEncoder.getBufferedImage(qualityChart(measured, rows.get(rows.size() - 1).step(),
                    "Generated images" + suffix(title))));
        }
        BufferedImage out = new BufferedImage(WIDTH, charts.stream().mapToInt(BufferedImage::getHeight).sum(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = out.createGraphics();
        try {
            int y = 0;
            for (BufferedImage c : charts) {
                gr.drawImage(c, 0, y, null);
                y += c.getHeight();
            }
        } finally {
            gr.dispose();
        }
        return out;
    }

    /** Conditional accuracy in percent on the left axis (when measured), FID on the right one. */
    private static XYChart qualityChart(List<MetricsRow> rows, long lastStep, String title) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(CHART_HEIGHT).title(title).xAxisTitle("step").build();
        style(chart);
        chart.getStyler().setXAxisMax((double) Math.max(lastStep, 1));
        List<Double> steps = rows.stream().map(r -> (double) r.step()).toList();
        boolean conditional = rows.stream().anyMatch(r -> !Double.isNaN(r.evalAccuracy()));
        if (conditional) {
            XYSeries acc = chart.addSeries("conditional accuracy, %", steps,
                    rows.stream().map(r -> 100 * r.evalAccuracy()).toList());
            acc.setMarker(SeriesMarkers.CIRCLE);
            chart.setYAxisGroupTitle(0, "accuracy, %");
            chart.getStyler().setYAxisMin(0, 0.0);
            chart.getStyler().setYAxisMax(0, 100.0);
        }
        XYSeries fid = chart.addSeries("FID", steps, rows.stream().map(MetricsRow::evalFid).toList());
        fid.setMarker(SeriesMarkers.DIAMOND);
        if (conditional) {
            fid.setYAxisGroup(1);
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            chart.getStyler().setYAxisMin(1, 0.0);
            chart.setYAxisGroupTitle(1, "FID");
        } else {
            chart.setYAxisGroupTitle(0, "FID");
        }
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    private static void style(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
    }

    /** Renders and writes a PNG atomically. */
    public static void write(List<MetricsRow> rows, String title, Path file) {
        Images.writePng(render(rows, title), file);
    }

    private static String suffix(String title) {
        return title == null || title.isBlank() ? "" : " (" + title + ")";
    }

    private static XYChart chart(List<MetricsRow> rows, String title, Map<String, ToDoubleFunction<MetricsRow>> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(CHART_HEIGHT).title(title).xAxisTitle("step")
                .yAxisTitle("loss").build();
        style(chart);
        int bucket = Math.max(1, (rows.size() + MAX_POINTS - 1) / MAX_POINTS);
        boolean first = true;
        for (Map.Entry<String, ToDoubleFunction<MetricsRow>> e : series.entrySet()) {
            ToDoubleFunction<MetricsRow> f = e.getValue();
            if (!first && rows.stream().allMatch(r -> f.applyAsDouble(r) == 0)) {
                continue;
            }
            first = false;
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < rows.size(); i += bucket) {
                int end = Math.min(rows.size(), i + bucket);
                double x = 0;
                double y = 0;
                for (int j = i; j < end; j++) {
                    x += rows.get(j).step();
                    y += f.applyAsDouble(rows.get(j));
                }
                xs.add(x / (end - i));
                ys.add(y / (end - i));
            }
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }
}
