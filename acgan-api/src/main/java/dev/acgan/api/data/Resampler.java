package dev.acgan.api.data;

/**
 * Resizes interleaved 8-bit images (height x width x channels). Each axis is resampled separately:
 * shrinking averages the source pixels each output pixel covers (area filter, weighting partly covered
 * pixels by their overlap), enlarging interpolates linearly between the two nearest source pixel
 * centres (bilinear). The aspect ratio is not preserved: the image is stretched to the target size.
 */
final class Resampler {

    private Resampler() {}

    /** The image resized to {@code dstH x dstW}, same channel count. */
    static byte[] resize(byte[] src, int srcH, int srcW, int channels, int dstH, int dstW) {
        if (srcH == dstH && srcW == dstW) {
            return src.clone();
        }
        Axis horizontal = Axis.of(srcW, dstW);
        Axis vertical = Axis.of(srcH, dstH);
        // Horizontal pass: srcH rows of dstW pixels.
        float[] tmp = new float[srcH * dstW * channels];
        for (int y = 0; y < srcH; y++) {
            for (int x = 0; x < dstW; x++) {
                for (int c = 0; c < channels; c++) {
                    float acc = 0f;
                    int first = horizontal.start[x];
                    float[] w = horizontal.weights[x];
                    for (int k = 0; k < w.length; k++) {
                        acc += w[k] * (src[((y * srcW) + first + k) * channels + c] & 0xff);
                    }
                    tmp[(y * dstW + x) * channels + c] = acc;
                }
            }
        }
        // Vertical pass.
        byte[] out = new byte[dstH * dstW * channels];
        for (int y = 0; y < dstH; y++) {
            int first = vertical.start[y];
            float[] w = vertical.weights[y];
            for (int x = 0; x < dstW; x++) {
                for (int c = 0; c < channels; c++) {
                    float acc = 0f;
                    for (int k = 0; k < w.length; k++) {
                        acc += w[k] * tmp[((first + k) * dstW + x) * channels + c];
                    }
                    out[(y * dstW + x) * channels + c] = (byte) Math.max(0, Math.min(255, Math.round(acc)));
                }
            }
        }
        return out;
    }

    /** For each output index along one axis: the first source index and the weights from there on. */
    private static final class Axis {
        final int[] start;
        final float[][] weights;

        private Axis(int n) {
            start = new int[n];
            weights = new float[n][];
        }

        static Axis of(int src, int dst) {
            Axis a = new Axis(dst);
            double scale = (double) src / dst;
            for (int o = 0; o < dst; o++) {
                if (scale > 1.0) {
                    double lo = o * scale;
                    double hi = lo + scale;
                    int first = (int) Math.floor(lo);
                    int last = Math.min(src - 1, (int) Math.ceil(hi) - 1);
                    float[] w = new float[last - first + 1];
                    for (int i = first; i <= last; i++) {
                        double overlap = Math.min(hi, i + 1) - Math.max(lo, i);
                        w[i - first] = (float) (overlap / scale);
                    }
                    a.start[o] = first;
                    a.weights[o] = w;
                } else {
                    double centre = Math.max(0.0, Math.min(src - 1.0, (o + 0.5) * scale - 0.5));
                    int i0 = (int) Math.floor(centre);
                    int i1 = Math.min(src - 1, i0 + 1);
                    float f = (float) (centre - i0);
                    a.start[o] = i0;
                    a.weights[o] = i1 == i0 ? new float[] {1f} : new float[] {1f - f, f};
                }
            }
            return a;
        }
    }
}
