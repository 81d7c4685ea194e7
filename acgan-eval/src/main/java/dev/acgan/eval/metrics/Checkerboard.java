package dev.acgan.eval.metrics;

import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Layout;
import dev.acgan.eval.classifier.ImageSet;

/**
 * The checkerboard number: how much of the images' energy lies at the Nyquist frequencies, where the
 * period-2 pattern of stride-2 transposed convolutions (the "checkerboard artefact") puts it, relative
 * to real images.
 *
 * <p><b>Per image: the Nyquist share.</b> With the 1-D kernels {@code s = [1, 2, 1] / 4} (smoothing,
 * frequency response {@code cos²(ω/2)}: 1 at ω = 0, 0 at ω = π) and {@code d = [-1, 2, -1] / 4} (response
 * {@code sin²(ω/2)}: 0 at ω = 0, 1 at ω = π), three 3x3 filters each pass one of the three Nyquist
 * frequencies of a 2-D image and block the others and the mean:
 *
 * <ul>
 *   <li>{@code d⊗d}, the (π, π) component: the 2x2 checker {@code (-1)^(i+j)};</li>
 *   <li>{@code d⊗s}, the (π, 0) component: rows alternating {@code (-1)^i};</li>
 *   <li>{@code s⊗d}, the (0, π) component: columns alternating {@code (-1)^j}.</li>
 * </ul>
 *
 * The Nyquist share of an image is the mean, over its interior pixels (one pixel from the border) and its
 * channels, of the sum of the three squared filter outputs, divided by the variance of all its pixels
 * (per channel, averaged over channels): {@code Σ_c mean_interior((d⊗d x_c)² + (d⊗s x_c)² + (s⊗d x_c)²) /
 * Σ_c var(x_c)}. It is 0 for a constant or linear image, about 1 for a pure period-2 pattern (exactly 1
 * for {@code (-1)^(i+j)} and for {@code (-1)^i}), about 0.42 for white noise (the mean of the filters'
 * squared responses over all frequencies: {@code 3 (3/8)²}) and small for smooth images (0.03 to 0.05 for
 * real MNIST digits). An image of zero variance counts as 0.
 *
 * <p><b>Over a set: the mean share; the checkerboard ratio</b> is the mean share of generated images
 * divided by that of real images of the same data: 1 means as much Nyquist energy as real images, above 1
 * more (checkerboard texture, or pixel noise, which also has energy there), below 1 less (images smoother
 * than real ones). It is computed in double precision from the pixels, is deterministic and takes a few
 * milliseconds for 1,000 28x28 images.
 */
public final class Checkerboard {

    private Checkerboard() {}

    /**
     * The mean {@linkplain Checkerboard Nyquist share} of the images; NaN for an empty batch.
     *
     * @param images the images, any layout; images smaller than 3x3 have no interior and count as 0
     */
    public static double meanNyquistShare(ImageBatch images) {
        if (images.count() == 0) {
            return Double.NaN;
        }
        ImageBatch b = images.toLayout(Layout.NHWC);
        float[] px = b.pixels();
        int size = b.imageSize();
        double sum = 0;
        for (int n = 0; n < b.count(); n++) {
            sum += nyquistShare(px, n * size, b.height(), b.width(), b.channels());
        }
        return sum / b.count();
    }

    /**
     * The mean Nyquist share of the real images {@code rows} of a set (NaN for none).
     *
     * @param real the real images
     * @param rows the indices, in {@code real}, of the images to use
     */
    public static double meanNyquistShare(ImageSet real, int[] rows) {
        if (rows.length == 0) {
            return Double.NaN;
        }
        int[] indices = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            indices[i] = real.indices()[rows[i]];
        }
        return meanNyquistShare(new ImageSet(real.source(), indices, real.description()).batch(0, rows.length));
    }

    /**
     * The mean Nyquist share of the real comparison sample of {@link Evaluator#evaluate}: the first
     * {@code countPerClass} images of each class of {@code realTest}. This is the denominator of the
     * checkerboard ratio that {@code acgan evaluate} prints and {@code acgan train --eval-every} records.
     */
    public static double realReference(ImageSet realTest, int countPerClass) {
        return meanNyquistShare(realTest, Evaluator.firstPerClass(realTest.labels(), realTest.numClasses(), countPerClass));
    }

    /** {@code generated / real}, NaN when either is NaN or {@code real} is not positive. */
    public static double ratio(double generated, double real) {
        if (Double.isNaN(generated) || Double.isNaN(real) || !(real > 0)) {
            return Double.NaN;
        }
        return generated / real;
    }

    /**
     * The Nyquist share of one NHWC image of {@code h x w x c} pixels at {@code offset} of {@code px}.
     */
    static double nyquistShare(float[] px, int offset, int h, int w, int c) {
        if (h < 3 || w < 3) {
            return 0;
        }
        double nyquist = 0;
        double variance = 0;
        int interior = (h - 2) * (w - 2);
        int pixels = h * w;
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int i = 0; i < pixels; i++) {
                mean += px[offset + i * c + ch];
            }
            mean /= pixels;
            double var = 0;
            for (int i = 0; i < pixels; i++) {
                double v = px[offset + i * c + ch] - mean;
                var += v * v;
            }
            variance += var / pixels;
            double e = 0;
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    // Rows y-1, y, y+1 filtered along x by s and by d.
                    double s0 = smooth(px, offset, w, c, ch, y - 1, x);
                    double s1 = smooth(px, offset, w, c, ch, y, x);
                    double s2 = smooth(px, offset, w, c, ch, y + 1, x);
                    double d0 = diff(px, offset, w, c, ch, y - 1, x);
                    double d1 = diff(px, offset, w, c, ch, y, x);
                    double d2 = diff(px, offset, w, c, ch, y + 1, x);
                    double dd = (-d0 + 2 * d1 - d2) / 4; // d along y of d along x: (pi, pi)
                    double ds = (d0 + 2 * d1 + d2) / 4; // s along y of d along x: (0, pi) in (y, x)
                    double sd = (-s0 + 2 * s1 - s2) / 4; // d along y of s along x: (pi, 0) in (y, x)
                    e += dd * dd + ds * ds + sd * sd;
                }
            }
            nyquist += e / interior;
        }
        return variance > 0 ? nyquist / variance : 0;
    }

    private static double smooth(float[] px, int offset, int w, int c, int ch, int y, int x) {
        int p = offset + (y * w + x) * c + ch;
        return (px[p - c] + 2.0 * px[p] + px[p + c]) / 4;
    }

    private static double diff(float[] px, int offset, int w, int c, int ch, int y, int x) {
        int p = offset + (y * w + x) * c + ch;
        return (-px[p - c] + 2.0 * px[p] - px[p + c]) / 4;
    }
}
