package dev.acgan.eval.render;

import dev.acgan.api.train.StepResult;
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
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code loss.png}: XChart line charts stacked, the discriminator's losses (total and the four
 * components) above the generator's (total, adversarial, auxiliary), against the step, and below them,
 * when the run measured its generator ({@code --eval-every}), the conditional accuracy (left axis) and
 * FID (right axis) of those measurements. Components that are zero throughout (the class terms of a CGAN
 * or GAN) are left out. Long runs are averaged into at most {@value #MAX_POINTS} points per series.
 */
public final class LossPlot {

    /**
     * The losses of one step, as plotted: the discriminator's total and four components and the
     * generator's total and two components (see {@link dev.acgan.api.model.DiscriminatorLosses} and
     * {@link dev.acgan.api.model.GeneratorLosses}). A run's metrics rows implement it; {@link #of} views a
     * {@link StepResult}.
     */
    public interface Row {
        /** 1-based step number. */
        long step();

        /** Total discriminator loss. */
        double dTotal();

        /** Adversarial term on real images. */
        double dRealAdv();

        /** Adversarial term on fakes. */
        double dFakeAdv();

        /** Class term on real images. */
        double dRealAux();

        /** Class term on fakes. */
        double dFakeAux();

        /** Total generator loss. */
        double gTotal();

        /** Adversarial term of the generator. */
        double gAdv();

        /** Class term of the generator. */
        double gAux();

        /** Whether the generator was measured after this step ({@code --eval-every}). */
        default boolean evaluated() {
            return false;
        }

        /** Conditional accuracy of that measurement in [0, 1], NaN when none (or unconditional). */
        default double evalAccuracy() {
            return Double.NaN;
        }

        /** FID of that measurement, NaN when none. */
        default double evalFid() {
            return Double.NaN;
        }

        /** The losses of a training step. */
        static Row of(StepResult r) {
            return new Row() {
                @Override
                public long step() {
                    return r.step();
                }

                @Override
                public double dTotal() {
                    return r.discriminator().total();
                }

                @Override
                public double dRealAdv() {
                    return r.discriminator().realAdversarial();
                }

                @Override
                public double dFakeAdv() {
                    return r.discriminator().fakeAdversarial();
                }

                @Override
                public double dRealAux() {
                    return r.discriminator().realAuxiliary();
                }

                @Override
                public double dFakeAux() {
                    return r.discriminator().fakeAuxiliary();
                }

                @Override
                public double gTotal() {
                    return r.generator().total();
                }

                @Override
                public double gAdv() {
                    return r.generator().adversarial();
                }

                @Override
                public double gAux() {
                    return r.generator().auxiliary();
                }
            };
        }
    }

    /** Width of the picture. */
    public static final int WIDTH = 900;
    /** Height of each chart. */
    public static final int CHART_HEIGHT = 360;
    /** Points per series at most. */
    public static final int MAX_POINTS = 1500;

    private LossPlot() {}

    /** Renders the rows (at least one). */
    public static BufferedImage render(List<? extends Row> rows, String title) {
        List<BufferedImage> charts = charts(rows, title).stream()
                .map(BitmapEncoder::getBufferedImage)
                .toList();
        BufferedImage out = new BufferedImage(
                WIDTH, charts.stream().mapToInt(BufferedImage::getHeight).sum(), BufferedImage.TYPE_INT_RGB);
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

    /** The charts of the picture, top to bottom: discriminator, generator and, when measured, quality. */
    static List<XYChart> charts(List<? extends Row> rows, String title) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no metrics to plot");
        }
        Map<String, ToDoubleFunction<Row>> d = new LinkedHashMap<>();
        d.put("D total", Row::dTotal);
        d.put("real adversarial", Row::dRealAdv);
        d.put("fake adversarial", Row::dFakeAdv);
        d.put("real auxiliary", Row::dRealAux);
        d.put("fake auxiliary", Row::dFakeAux);
        Map<String, ToDoubleFunction<Row>> g = new LinkedHashMap<>();
        g.put("G total", Row::gTotal);
        g.put("adversarial", Row::gAdv);
        g.put("auxiliary", Row::gAux);
        long lastStep = rows.get(rows.size() - 1).step();
        List<XYChart> charts = new ArrayList<>();
        charts.add(chart(rows, "Discriminator loss" + suffix(title), d));
        charts.add(chart(rows, "Generator loss" + suffix(title), g));
        List<Row> measured =
                rows.stream().filter(Row::evaluated).map(r -> (Row) r).toList();
        if (!measured.isEmpty()) {
            charts.add(qualityChart(measured, "Generated images" + suffix(title)));
        }
        charts.forEach(c -> roundStepTicks(c, lastStep));
        return charts;
    }

    /**
     * Makes the step axis run from 0 to the last step, rounded up to a round number ({@link #axisEnd}), with
     * round ticks (0, 200, 400, ...). XChart puts the ticks of an axis on
     * data points whenever the x values of all series are equally spaced, as steps 1 to N are, which labelled
     * a 1,000-step run 0, 42, 84, ..., 966; two invisible points off that lattice (no y value, not in the
     * legend) break the spacing, so XChart chooses round ticks. The rounded end keeps XChart from painting a
     * label past the end of the axis (it paints those that fall in the plot's margin).
     */
    private static void roundStepTicks(XYChart chart, long lastStep) {
        double max = axisEnd(lastStep);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(max);
        XYSeries anchor =
                chart.addSeries("step axis", new double[] {0, max / 2 + 0.25}, new double[] {Double.NaN, Double.NaN});
        anchor.setShowInLegend(false);
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineStyle(SeriesLines.NONE);
    }

    /** Conditional accuracy in percent on the left axis (when measured), FID on the right one. */
    private static XYChart qualityChart(List<Row> rows, String title) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(CHART_HEIGHT)
                .title(title)
                .xAxisTitle("step")
                .build();
        style(chart);
        List<Double> steps = rows.stream().map(r -> (double) r.step()).toList();
        boolean conditional = rows.stream().anyMatch(r -> !Double.isNaN(r.evalAccuracy()));
        if (conditional) {
            XYSeries acc = chart.addSeries(
                    "conditional accuracy, %",
                    steps, rows.stream().map(r -> 100 * r.evalAccuracy()).toList());
            acc.setMarker(SeriesMarkers.CIRCLE);
            chart.setYAxisGroupTitle(0, "accuracy, %");
            chart.getStyler().setYAxisMin(0, 0.0);
            chart.getStyler().setYAxisMax(0, 100.0);
        }
        XYSeries fid =
                chart.addSeries("FID", steps, rows.stream().map(Row::evalFid).toList());
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
        chart.getStyler().setXAxisDecimalPattern("#,##0");
    }

    /** Renders and writes a PNG atomically. */
    public static void write(List<? extends Row> rows, String title, Path file) {
        Images.writePng(render(rows, title), file);
    }

    /**
     * The end of the step axis: {@code lastStep} rounded up to a multiple of the round step (1, 2 or 5 times a
     * power of ten) that divides the axis into at most ten parts, so 1,000 stays 1,000 and 4,321 becomes 4,500.
     */
    static double axisEnd(long lastStep) {
        if (lastStep <= 10) {
            return Math.max(lastStep, 1);
        }
        double decade = Math.pow(10, Math.floor(Math.log10(lastStep / 10.0)));
        double step = decade;
        for (double m : new double[] {1, 2, 5, 10}) {
            step = m * decade;
            if (step * 10 >= lastStep) {
                break;
            }
        }
        return Math.ceil(lastStep / step) * step;
    }

    private static String suffix(String title) {
        return title == null || title.isBlank() ? "" : " (" + title + ")";
    }

    private static XYChart chart(List<? extends Row> rows, String title, Map<String, ToDoubleFunction<Row>> series) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(CHART_HEIGHT)
                .title(title)
                .xAxisTitle("step")
                .yAxisTitle("loss")
                .build();
        style(chart);
        int bucket = Math.max(1, (rows.size() + MAX_POINTS - 1) / MAX_POINTS);
        boolean first = true;
        for (Map.Entry<String, ToDoubleFunction<Row>> e : series.entrySet()) {
            ToDoubleFunction<Row> f = e.getValue();
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
