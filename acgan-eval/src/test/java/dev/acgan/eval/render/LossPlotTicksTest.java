package dev.acgan.eval.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Axis;
import org.knowm.xchart.internal.chartpart.AxisTickCalculator;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The step axis of every chart of {@code loss.png} is labelled with round numbers (0, 200, 400, ... for a
 * 1,000-step run), read from the tick labels XChart lays out when it paints the chart. Before the fix a
 * 1,000-step run was labelled 0, 42, 84, ..., 966 (XChart puts ticks on data points when the steps are
 * equally spaced).
 */
class LossPlotTicksTest {

    @Test
    void everyChartOfADefaultLengthRunHasRoundStepTicks() throws Exception {
        assertRoundTicks(rows(1_000, 500), 3);
    }

    @Test
    void shortLongAndOddLengthRunsToo() throws Exception {
        assertRoundTicks(rows(7, 0), 2);
        assertRoundTicks(rows(333, 100), 3);
        assertRoundTicks(rows(1_234, 0), 2);
        assertRoundTicks(rows(3_000, 0), 2);
        // more steps than points per series: the series are averaged into buckets
        assertRoundTicks(rows(4_321, 1_000), 3);
        assertRoundTicks(rows(9_999, 2_500), 3);
        assertRoundTicks(rows(1_500, 500), 3);
        assertRoundTicks(rows(3_500, 0), 2);
        assertRoundTicks(rows(251, 50), 3);
    }

    @Test
    void aSingleMeasurementKeepsTheAxisOfTheRun() throws Exception {
        assertRoundTicks(rows(1_000, 1_000), 3);
    }

    private static void assertRoundTicks(List<LossPlot.Row> rows, int charts) throws Exception {
        List<XYChart> all = LossPlot.charts(rows, "test");
        assertEquals(charts, all.size());
        long last = rows.get(rows.size() - 1).step();
        double end = LossPlot.axisEnd(last);
        assertTrue(end >= last && end < last * 1.5 + 1, "axis end " + end + " for " + last + " steps");
        for (XYChart chart : all) {
            List<String> labels = stepTickLabels(chart);
            String where = chart.getTitle() + " of a " + last + "-step run: step ticks " + labels;
            assertTrue(labels.size() >= 2, where);
            List<Double> values = new ArrayList<>();
            for (String l : labels) {
                values.add(Double.parseDouble(l.replace(",", "")));
            }
            assertEquals(0.0, values.get(0), where);
            double spacing = values.get(1) - values.get(0);
            assertTrue(isRound(spacing), where + ": spacing " + spacing + " is not 1, 2, 2.5 or 5 x 10^k");
            for (int i = 1; i < values.size(); i++) {
                assertEquals(spacing, values.get(i) - values.get(i - 1), 1e-9, where);
            }
            assertTrue(values.get(values.size() - 1) <= end, where + ": a label past the end of the axis, " + end);
            assertTrue(values.get(values.size() - 1) + spacing > end, where + ": the ticks stop short of the end");
        }
    }

    /** 1, 2, 2.5 or 5 times a power of ten. */
    private static boolean isRound(double spacing) {
        double decade = Math.pow(10, Math.floor(Math.log10(spacing)));
        double mantissa = spacing / decade;
        for (double m : new double[] {1, 2, 2.5, 5}) {
            if (Math.abs(mantissa - m) < 1e-9) {
                return true;
            }
        }
        return false;
    }

    /**
     * The labels XChart paints on the x axis: those its tick calculator placed inside the axis (it computes a
     * few beyond both ends, which AxisTickLabels leaves out). XChart keeps them in internal classes
     * (Chart.getAxisPair() is package-private, Axis.axisTickCalculator private), hence the reflection.
     */
    private static List<String> stepTickLabels(XYChart chart) throws Exception {
        BitmapEncoder.getBufferedImage(chart);
        Method axisPair = Chart.class.getDeclaredMethod("getAxisPair");
        axisPair.setAccessible(true);
        Object pair = axisPair.invoke(chart);
        Axis<?, ?> x = (Axis<?, ?>) pair.getClass().getMethod("getXAxis").invoke(pair);
        Field field = Axis.class.getDeclaredField("axisTickCalculator");
        field.setAccessible(true);
        AxisTickCalculator calculator = (AxisTickCalculator) field.get(x);
        double width = x.getBounds().getWidth();
        List<String> painted = new ArrayList<>();
        for (int i = 0; i < calculator.getTickLabels().size(); i++) {
            double location = calculator.getTickLocations().get(i);
            if (calculator.getTickLabels().get(i) != null && location > 0 && location < width) {
                painted.add(calculator.getTickLabels().get(i));
            }
        }
        return painted;
    }

    /** Losses of {@code steps} steps, measured every {@code evalEvery} steps (never when 0). */
    private static List<LossPlot.Row> rows(int steps, int evalEvery) {
        List<LossPlot.Row> rows = new ArrayList<>();
        for (int s = 1; s <= steps; s++) {
            rows.add(new TestRow(s, evalEvery > 0 && s % evalEvery == 0));
        }
        return rows;
    }

    private record TestRow(long step, boolean evaluated) implements LossPlot.Row {
        @Override
        public double dTotal() {
            return 1.5 + Math.sin(step / 50.0) / 4;
        }

        @Override
        public double dRealAdv() {
            return 0.4;
        }

        @Override
        public double dFakeAdv() {
            return 0.3;
        }

        @Override
        public double dRealAux() {
            return 0.5 / Math.sqrt(step);
        }

        @Override
        public double dFakeAux() {
            return 0.2;
        }

        @Override
        public double gTotal() {
            return 2 + Math.cos(step / 40.0) / 3;
        }

        @Override
        public double gAdv() {
            return 1.2;
        }

        @Override
        public double gAux() {
            return 0.8 / Math.sqrt(step);
        }

        @Override
        public double evalAccuracy() {
            return evaluated ? Math.min(0.99, step / 1_500.0) : Double.NaN;
        }

        @Override
        public double evalFid() {
            return evaluated ? 100.0 / Math.sqrt(step) : Double.NaN;
        }
    }
}
