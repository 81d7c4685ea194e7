package dev.acgan.samples.eval;

import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A LeNet-style image classifier in plain Java (see {@link LeNetShape} for the layers), float32, with
 * its forward pass, the softmax cross-entropy loss and its exact gradient. It needs no backend and gives
 * the same bits on every machine: every sum runs in a fixed order, the exponentials use {@link StrictMath},
 * and work is spread over threads only in blocks whose results are combined in a fixed order
 * ({@value #CHUNKS} partial gradients summed in sequence, whatever the number of cores).
 *
 * <p>Input: NHWC images in [-1, 1] (what datasets and generators give, see
 * {@link dev.acgan.api.tensor.ImageBatch}). The weights live in one flat array in the order of
 * {@link LeNetShape#params()}; {@link #tensors()} names them ({@code conv1/kernel} {@code [5, 5, in, out]},
 * {@code dense1/kernel} {@code [in, out]}, ...). Prediction is thread-safe; training mutates the weights.
 */
public final class LeNet {

    /** Number of partial gradients a batch is split into (fixed, so results do not depend on the cores). */
    static final int CHUNKS = 4;
    /** Images per block of parallel prediction. */
    private static final int PREDICT_BLOCK = 32;
    private static final int K = LeNetShape.KERNEL;

    private final LeNetShape shape;
    private final float[] w;
    private final int oC1K;
    private final int oC1B;
    private final int oC2K;
    private final int oC2B;
    private final int oD1K;
    private final int oD1B;
    private final int oD2K;
    private final int oD2B;
    private final int oLK;
    private final int oLB;

    private LeNet(LeNetShape shape, float[] weights) {
        this.shape = shape;
        if (weights.length != shape.parameterCount()) {
            throw new IllegalArgumentException("a LeNet " + shape + " has " + shape.parameterCount()
                    + " parameters, got " + weights.length);
        }
        this.w = weights;
        List<LeNetShape.Param> ps = shape.params();
        oC1K = ps.get(0).offset();
        oC1B = ps.get(1).offset();
        oC2K = ps.get(2).offset();
        oC2B = ps.get(3).offset();
        oD1K = ps.get(4).offset();
        oD1B = ps.get(5).offset();
        oD2K = ps.get(6).offset();
        oD2B = ps.get(7).offset();
        oLK = ps.get(8).offset();
        oLB = ps.get(9).offset();
    }

    /**
     * A freshly initialised network: kernels of the ReLU layers He-uniform ({@code ±sqrt(6/fanIn)}), the
     * logits kernel Glorot-uniform, biases zero; drawn in parameter order from {@code new SplittableRandom(seed)}.
     */
    public static LeNet initialise(LeNetShape shape, long seed) {
        float[] w = new float[shape.parameterCount()];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (LeNetShape.Param p : shape.params()) {
            if (p.bias()) {
                continue;
            }
            boolean logits = p.name().startsWith("logits/");
            double limit = logits ? Math.sqrt(6.0 / (p.fanIn() + p.shape()[p.shape().length - 1]))
                    : Math.sqrt(6.0 / p.fanIn());
            for (int i = 0; i < p.size(); i++) {
                w[p.offset() + i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
            }
        }
        return new LeNet(shape, w);
    }

    /** The network with the given named weights (all of {@link LeNetShape#params()}, shapes checked). */
    public static LeNet of(LeNetShape shape, NamedTensors tensors) {
        float[] w = new float[shape.parameterCount()];
        for (LeNetShape.Param p : shape.params()) {
            if (!tensors.contains(p.name())) {
                throw new IllegalArgumentException("classifier weights lack '" + p.name() + "'");
            }
            Tensor t = tensors.get(p.name());
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException("classifier weight '" + p.name() + "' has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(p.shape()) + " for " + shape);
            }
            System.arraycopy(t.data(), 0, w, p.offset(), p.size());
        }
        return new LeNet(shape, w);
    }

    /** The sizes. */
    public LeNetShape shape() {
        return shape;
    }

    /** The weights by name, copies in the order of {@link LeNetShape#params()}. */
    public NamedTensors tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (LeNetShape.Param p : shape.params()) {
            out.put(p.name(), new Tensor(p.shape().clone(), Arrays.copyOfRange(w, p.offset(), p.offset() + p.size())));
        }
        return new NamedTensors(out);
    }

    /** The live flat weight array (the optimiser updates it in place). */
    float[] weights() {
        return w;
    }

    /**
     * Class probabilities and feature vectors (the ReLU output of the second dense layer) of {@code n}
     * images.
     *
     * @param images {@code n * inputSize} NHWC values in [-1, 1]
     */
    public Predictions predict(float[] images, int n) {
        checkImages(images, n);
        int classes = shape.classes();
        int feat = shape.dense2();
        float[] probs = new float[n * classes];
        float[] features = new float[n * feat];
        int blocks = (n + PREDICT_BLOCK - 1) / PREDICT_BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            Work k = new Work(shape);
            int end = Math.min(n, (b + 1) * PREDICT_BLOCK);
            for (int i = b * PREDICT_BLOCK; i < end; i++) {
                forward(images, i * shape.inputSize(), k);
                for (int j = 0; j < classes; j++) {
                    probs[i * classes + j] = (float) k.prob[j];
                }
                System.arraycopy(k.d2, 0, features, i * feat, feat);
            }
        });
        return new Predictions(n, classes, feat, probs, features);
    }

    /** Probabilities and features of a set of real images, read in blocks to bound memory. */
    public Predictions predict(ImageSet images) {
        if (!images.source().info().image().equals(shape.input())) {
            throw new IllegalArgumentException("the classifier takes " + shape.input() + " images, "
                    + images.description() + " has " + images.source().info().image());
        }
        int n = images.size();
        int k = shape.classes();
        int f = shape.dense2();
        float[] probs = new float[n * k];
        float[] feats = new float[n * f];
        int block = 4096;
        int per = shape.inputSize();
        float[] buf = new float[Math.min(block, n) * per];
        for (int from = 0; from < n; from += block) {
            int m = Math.min(block, n - from);
            for (int i = 0; i < m; i++) {
                images.read(from + i, buf, i * per);
            }
            Predictions p = predict(buf, m);
            System.arraycopy(p.probabilities(), 0, probs, from * k, m * k);
            System.arraycopy(p.features(), 0, feats, from * f, m * f);
        }
        return new Predictions(n, k, f, probs, feats);
    }

    /**
     * The mean softmax cross-entropy of {@code n} labelled images and its gradient with respect to the
     * weights (written into {@code grad}, which is overwritten).
     */
    double lossAndGradient(float[] images, int[] labels, int n, float[] grad) {
        checkImages(images, n);
        if (grad.length != w.length) {
            throw new IllegalArgumentException("gradient array of " + grad.length + " for " + w.length + " weights");
        }
        float scale = 1f / n;
        float[][] partial = new float[CHUNKS][];
        double[] loss = new double[CHUNKS];
        IntStream.range(0, CHUNKS).parallel().forEach(c -> {
            int from = (int) ((long) n * c / CHUNKS);
            int to = (int) ((long) n * (c + 1) / CHUNKS);
            float[] g = new float[w.length];
            Work k = new Work(shape);
            double l = 0;
            for (int i = from; i < to; i++) {
                int y = labels[i];
                if (y < 0 || y >= shape.classes()) {
                    throw new IllegalArgumentException("label " + y + " out of range [0, " + shape.classes() + ")");
                }
                forward(images, i * shape.inputSize(), k);
                l -= StrictMath.log(Math.max(k.prob[y], Double.MIN_NORMAL));
                backward(images, i * shape.inputSize(), y, scale, k, g);
            }
            partial[c] = g;
            loss[c] = l;
        });
        double total = 0;
        System.arraycopy(partial[0], 0, grad, 0, grad.length);
        total += loss[0];
        for (int c = 1; c < CHUNKS; c++) {
            float[] g = partial[c];
            for (int i = 0; i < grad.length; i++) {
                grad[i] += g[i];
            }
            total += loss[c];
        }
        return total / n;
    }

    private void checkImages(float[] images, int n) {
        if (n < 0 || (long) n * shape.inputSize() > images.length) {
            throw new IllegalArgumentException(n + " images of " + shape.input() + " need " + (long) n
                    * shape.inputSize() + " values, got " + images.length);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // One image forward and backward.

    /** Per-thread activations and gradients of one image. */
    private static final class Work {
        final float[] r1;
        final float[] p1;
        final int[] a1;
        final float[] r2;
        final float[] p2;
        final int[] a2;
        final float[] d1;
        final float[] d2;
        final float[] logits;
        final double[] prob;
        final float[] gLogits;
        final float[] gD2;
        final float[] gD1;
        final float[] gP2;
        final float[] gR2;
        final float[] gP1;
        final float[] gR1;

        Work(LeNetShape s) {
            int n1 = s.h1() * s.w1() * s.conv1();
            int n1p = n1 / 4;
            int n2 = s.h2() * s.w2() * s.conv2();
            r1 = new float[n1];
            p1 = new float[n1p];
            a1 = new int[n1p];
            r2 = new float[n2];
            p2 = new float[s.flat()];
            a2 = new int[s.flat()];
            d1 = new float[s.dense1()];
            d2 = new float[s.dense2()];
            logits = new float[s.classes()];
            prob = new double[s.classes()];
            gLogits = new float[s.classes()];
            gD2 = new float[s.dense2()];
            gD1 = new float[s.dense1()];
            gP2 = new float[s.flat()];
            gR2 = new float[n2];
            gP1 = new float[n1p];
            gR1 = new float[n1];
        }
    }

    private void forward(float[] x, int xOff, Work k) {
        LeNetShape s = shape;
        conv(x, xOff, s.height(), s.width(), s.channels(), oC1K, oC1B, s.conv1(), k.r1);
        pool(k.r1, s.h1(), s.w1(), s.conv1(), k.p1, k.a1);
        conv(k.p1, 0, s.h1() / 2, s.w1() / 2, s.conv1(), oC2K, oC2B, s.conv2(), k.r2);
        pool(k.r2, s.h2(), s.w2(), s.conv2(), k.p2, k.a2);
        dense(k.p2, s.flat(), oD1K, oD1B, s.dense1(), k.d1, true);
        dense(k.d1, s.dense1(), oD2K, oD2B, s.dense2(), k.d2, true);
        dense(k.d2, s.dense2(), oLK, oLB, s.classes(), k.logits, false);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : k.logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int j = 0; j < k.prob.length; j++) {
            k.prob[j] = StrictMath.exp(k.logits[j] - max);
            sum += k.prob[j];
        }
        for (int j = 0; j < k.prob.length; j++) {
            k.prob[j] /= sum;
        }
    }

    private void backward(float[] x, int xOff, int label, float scale, Work k, float[] g) {
        LeNetShape s = shape;
        for (int j = 0; j < k.gLogits.length; j++) {
            k.gLogits[j] = (float) ((k.prob[j] - (j == label ? 1 : 0)) * scale);
        }
        denseBack(k.d2, s.dense2(), oLK, oLB, s.classes(), k.gLogits, g, k.gD2);
        reluMask(k.gD2, k.d2);
        denseBack(k.d1, s.dense1(), oD2K, oD2B, s.dense2(), k.gD2, g, k.gD1);
        reluMask(k.gD1, k.d1);
        denseBack(k.p2, s.flat(), oD1K, oD1B, s.dense1(), k.gD1, g, k.gP2);
        unpool(k.gP2, k.a2, k.gR2);
        reluMask(k.gR2, k.r2);
        convBack(k.p1, 0, s.h1() / 2, s.w1() / 2, s.conv1(), oC2K, oC2B, s.conv2(), k.gR2, g, k.gP1);
        unpool(k.gP1, k.a1, k.gR1);
        reluMask(k.gR1, k.r1);
        convBack(x, xOff, s.height(), s.width(), s.channels(), oC1K, oC1B, s.conv1(), k.gR1, g, null);
    }

    /** 'valid' 5x5 convolution, stride 1, NHWC, followed by ReLU. */
    private void conv(float[] in, int inOff, int ih, int iw, int cin, int kOff, int bOff, int cout, float[] out) {
        int oh = ih - K + 1;
        int ow = iw - K + 1;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int o = (oy * ow + ox) * cout;
                System.arraycopy(w, bOff, out, o, cout);
                for (int ky = 0; ky < K; ky++) {
                    for (int kx = 0; kx < K; kx++) {
                        int src = inOff + ((oy + ky) * iw + ox + kx) * cin;
                        int ker = kOff + (ky * K + kx) * cin * cout;
                        for (int ci = 0; ci < cin; ci++) {
                            float v = in[src + ci];
                            int kk = ker + ci * cout;
                            for (int co = 0; co < cout; co++) {
                                out[o + co] += v * w[kk + co];
                            }
                        }
                    }
                }
                for (int co = 0; co < cout; co++) {
                    if (out[o + co] < 0) {
                        out[o + co] = 0;
                    }
                }
            }
        }
    }

    /**
     * Gradient of a 'valid' convolution: adds to the kernel and bias gradients in {@code g}, and, unless
     * {@code gIn} is null, writes the input gradient.
     */
    private void convBack(float[] in, int inOff, int ih, int iw, int cin, int kOff, int bOff, int cout,
                          float[] gOut, float[] g, float[] gIn) {
        int oh = ih - K + 1;
        int ow = iw - K + 1;
        if (gIn != null) {
            Arrays.fill(gIn, 0f);
        }
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int o = (oy * ow + ox) * cout;
                boolean any = false;
                for (int co = 0; co < cout; co++) {
                    float go = gOut[o + co];
                    if (go != 0f) {
                        any = true;
                        g[bOff + co] += go;
                    }
                }
                if (!any) {
                    continue;
                }
                for (int ky = 0; ky < K; ky++) {
                    for (int kx = 0; kx < K; kx++) {
                        int src = ((oy + ky) * iw + ox + kx) * cin;
                        int ker = kOff + (ky * K + kx) * cin * cout;
                        for (int ci = 0; ci < cin; ci++) {
                            float v = in[inOff + src + ci];
                            int kk = ker + ci * cout;
                            float sIn = 0f;
                            for (int co = 0; co < cout; co++) {
                                float go = gOut[o + co];
                                g[kk + co] += v * go;
                                sIn += w[kk + co] * go;
                            }
                            if (gIn != null) {
                                gIn[src + ci] += sIn;
                            }
                        }
                    }
                }
            }
        }
    }

    /** 2x2 max-pooling, stride 2; remembers the index of each maximum (the first one on ties). */
    private static void pool(float[] in, int ih, int iw, int c, float[] out, int[] arg) {
        int ph = ih / 2;
        int pw = iw / 2;
        for (int py = 0; py < ph; py++) {
            for (int px = 0; px < pw; px++) {
                for (int ch = 0; ch < c; ch++) {
                    int best = ((2 * py) * iw + 2 * px) * c + ch;
                    float m = in[best];
                    for (int d = 1; d < 4; d++) {
                        int idx = ((2 * py + d / 2) * iw + 2 * px + d % 2) * c + ch;
                        if (in[idx] > m) {
                            m = in[idx];
                            best = idx;
                        }
                    }
                    int o = (py * pw + px) * c + ch;
                    out[o] = m;
                    arg[o] = best;
                }
            }
        }
    }

    private static void unpool(float[] gOut, int[] arg, float[] gIn) {
        Arrays.fill(gIn, 0f);
        for (int i = 0; i < gOut.length; i++) {
            gIn[arg[i]] += gOut[i];
        }
    }

    /** Zeroes the gradient where the ReLU output is 0. */
    private static void reluMask(float[] grad, float[] out) {
        for (int i = 0; i < grad.length; i++) {
            if (out[i] <= 0f) {
                grad[i] = 0f;
            }
        }
    }

    private void dense(float[] in, int nIn, int kOff, int bOff, int nOut, float[] out, boolean relu) {
        System.arraycopy(w, bOff, out, 0, nOut);
        for (int i = 0; i < nIn; i++) {
            float v = in[i];
            if (v == 0f) {
                continue;
            }
            int row = kOff + i * nOut;
            for (int j = 0; j < nOut; j++) {
                out[j] += v * w[row + j];
            }
        }
        if (relu) {
            for (int j = 0; j < nOut; j++) {
                if (out[j] < 0) {
                    out[j] = 0;
                }
            }
        }
    }

    private void denseBack(float[] in, int nIn, int kOff, int bOff, int nOut, float[] gOut, float[] g, float[] gIn) {
        for (int j = 0; j < nOut; j++) {
            g[bOff + j] += gOut[j];
        }
        for (int i = 0; i < nIn; i++) {
            float v = in[i];
            int row = kOff + i * nOut;
            float s = 0f;
            for (int j = 0; j < nOut; j++) {
                g[row + j] += v * gOut[j];
                s += w[row + j] * gOut[j];
            }
            gIn[i] = s;
        }
    }

    /**
     * What the classifier makes of {@code count} images.
     *
     * @param count         number of images
     * @param classes       number of classes
     * @param featureLength length of a feature vector
     * @param probabilities {@code count * classes} softmax outputs
     * @param features      {@code count * featureLength} penultimate-layer activations
     */
    public record Predictions(int count, int classes, int featureLength, float[] probabilities, float[] features) {

        /** The most probable class of image {@code i} (the lowest index on ties). */
        public int predicted(int i) {
            int best = 0;
            for (int j = 1; j < classes; j++) {
                if (probabilities[i * classes + j] > probabilities[i * classes + best]) {
                    best = j;
                }
            }
            return best;
        }

        /** Share of images whose most probable class is their label. */
        public double accuracy(int[] labels) {
            if (count == 0) {
                return Double.NaN;
            }
            int hits = 0;
            for (int i = 0; i < count; i++) {
                if (predicted(i) == labels[i]) {
                    hits++;
                }
            }
            return hits / (double) count;
        }
    }
}
