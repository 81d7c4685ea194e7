package dev.acgan.api.spec;

import dev.acgan.api.spec.InferredNetwork.InferredNode;
import dev.acgan.api.spec.LayerSpec.BatchNorm;
import dev.acgan.api.spec.LayerSpec.Conv2D;
import dev.acgan.api.spec.LayerSpec.Conv2DTranspose;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Dropout;
import dev.acgan.api.spec.LayerSpec.Embedding;
import dev.acgan.api.spec.LayerSpec.LeakyRelu;
import dev.acgan.api.spec.LayerSpec.MaxPool2D;
import dev.acgan.api.spec.LayerSpec.Multiply;
import dev.acgan.api.spec.LayerSpec.Relu;
import dev.acgan.api.spec.LayerSpec.Sigmoid;
import dev.acgan.api.spec.LayerSpec.Softmax;
import dev.acgan.api.spec.LayerSpec.Tanh;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the floating-point operations of a model's forward passes, generation and training steps from
 * its spec and the shapes {@link ShapeInference} resolves, so that a measured step time can be turned
 * into achieved GFLOP/s.
 *
 * <h2>Counting convention</h2>
 * <ul>
 *   <li><b>One FLOP is one floating-point add or multiply; a multiply-add counts 2.</b></li>
 *   <li><b>Only the weight layers are counted</b> (Dense, Conv2D, Conv2DTranspose: their multiply-adds,
 *       which are over 99% of the arithmetic of the presets). Bias adds, activations, BatchNorm, Dropout,
 *       Multiply, Softmax, max-pooling, embedding look-ups, losses and the Adam updates are left out of the
 *       headline numbers; {@link StepFlops#elementwiseEstimate()} gives a rough separate estimate of them.
 *       Nearest-neighbour up-sampling is a copy and counts 0 in both (its backward adds each value's
 *       {@code factorH * factorW} copies, a fraction of the convolution that follows it).</li>
 *   <li>Forward, per example: Dense {@code 2 in out}; Conv2D {@code 2 H_out W_out kH kW C_in C_out}
 *       (taps that fall on 'same' padding are counted, as im2col/GEMM and direct kernels compute them);
 *       Conv2DTranspose {@code 2 H_in W_in kH kW C_in C_out} (every input value is scattered to a
 *       {@code kH x kW x C_out} window: the cost of the gradient of the matching Conv2D; implementations
 *       that dilate the input and run a dense convolution do up to {@code stride^2} times more work, which
 *       is not counted).</li>
 *   <li>Backward of a weight layer: its weight gradient costs as much as its forward pass, and so does its
 *       input gradient. So backward = 2x forward when both are needed, 1x when only one is:
 *       a weight gradient is computed only for the network being updated, an input gradient only when
 *       something upstream of that input needs a gradient (a trainable layer of the updated network, or
 *       the discriminator's image input in the generator step).</li>
 *   <li>A training step is that of {@code dev.acgan.api.train.GanTrainer}, for {@code n} real images:
 *       <ul>
 *         <li>discriminator step: the generator makes {@code n} fakes (forward only, inference mode); the
 *             discriminator runs forward on the {@code 2n} real and fake images, then backward with weight
 *             gradients; its first layers need no input gradient (nothing upstream of the image is
 *             trainable in this step), so e.g. the first convolution's input gradient is not counted;</li>
 *         <li>generator step on {@code g = factor * n} fresh samples: generator forward (training mode),
 *             discriminator forward, discriminator backward with input gradients only (its weights are
 *             fixed), generator backward with weight gradients and the input gradients of every layer that
 *             has a trainable layer upstream (for acgan-mnist: all of them, the class embedding being
 *             trainable).</li>
 *       </ul></li>
 * </ul>
 *
 * <p>For {@code acgan-mnist} (28x28x1, 10 classes, latent 100) this gives a generator forward pass of
 * 80.0 MFLOP and a discriminator forward pass of 43.7 MFLOP per image; at batch 100 (generator step on 200
 * samples) a discriminator step of 34.22 GFLOP, a generator step of 65.48 GFLOP, 99.70 GFLOP in all. (A
 * count that also charges the first discriminator convolution's input gradient in the discriminator step
 * gets 34.24 and 99.72 GFLOP: 0.02 GFLOP more.)
 */
public final class FlopCounter {

    /** Adam costs about this many FLOP per trainable value per update (moments, bias correction, step). */
    static final int ADAM_FLOP_PER_VALUE = 12;

    private FlopCounter() {}

    /**
     * One node's forward cost per example.
     *
     * @param network      "generator" or "discriminator"
     * @param node         node name
     * @param type         layer type name, e.g. {@code conv2d_transpose}
     * @param weightLayer  whether the node is a Dense, Conv2D or Conv2DTranspose layer (counted in the headline)
     * @param forwardFlops weight-layer FLOP of the forward pass per example (0 for other layers)
     * @param elementwiseFlops rough estimate of the other arithmetic per example (bias, activation, ...)
     */
    public record LayerFlops(
            String network, String node, String type, boolean weightLayer, long forwardFlops, long elementwiseFlops) {}

    /**
     * The FLOP of one training step.
     *
     * @param model                        model name
     * @param batchSize                    real images per step ({@code n})
     * @param generatorBatch               samples of the generator step ({@code factor * n})
     * @param generatorForwardPerImage     weight-layer FLOP of one generator forward pass, per image
     * @param discriminatorForwardPerImage weight-layer FLOP of one discriminator forward pass, per image
     * @param discriminatorStep            weight-layer FLOP of the discriminator step (fakes included)
     * @param generatorStep                weight-layer FLOP of the generator step
     * @param elementwiseEstimate          rough estimate of everything else in the step (bias adds,
     *                                     activations, BatchNorm, Dropout, Adam), not in {@link #total()}
     */
    public record StepFlops(
            String model,
            int batchSize,
            int generatorBatch,
            long generatorForwardPerImage,
            long discriminatorForwardPerImage,
            long discriminatorStep,
            long generatorStep,
            long elementwiseEstimate) {
        /** Weight-layer FLOP of the whole step: discriminator step plus generator step. */
        public long total() {
            return discriminatorStep + generatorStep;
        }
    }

    /** Per-node forward costs of a network, per example, in node order. */
    public static List<LayerFlops> layers(InferredNetwork net) {
        List<LayerFlops> out = new ArrayList<>();
        for (InferredNode n : net.nodes()) {
            out.add(new LayerFlops(
                    net.role(),
                    n.name(),
                    n.layer().typeName(),
                    isWeightLayer(n.layer()),
                    2 * macs(n),
                    elementwise(n, false)));
        }
        return out;
    }

    /** Weight-layer FLOP of one forward pass of the network, per example. */
    public static long forward(InferredNetwork net) {
        long sum = 0;
        for (InferredNode n : net.nodes()) {
            sum += 2 * macs(n);
        }
        return sum;
    }

    /**
     * Weight-layer FLOP of one backward pass of the network, per example.
     *
     * @param updateWeights    whether the network's weights get gradients (it is the one being trained)
     * @param imageNeedsGrad   whether the gradient must reach the {@link NetworkSpec#IMAGE} input (the
     *                         discriminator in the generator step); other network inputs never need one
     */
    public static long backward(InferredNetwork net, boolean updateWeights, boolean imageNeedsGrad) {
        return pass(net, updateWeights, imageNeedsGrad).weightLayers;
    }

    /** Weight-layer FLOP of generating {@code images} images (generator forward pass, inference mode). */
    public static long generation(InferredModel model, int images) {
        return images * forward(model.generator());
    }

    /**
     * The FLOP of one training step of {@code dev.acgan.api.train.GanTrainer}.
     *
     * @param model                the inferred model ({@link ModelSpec#validate()})
     * @param batchSize            real images per step
     * @param generatorBatchFactor the generator step's samples per real image (2 in the defaults)
     */
    public static StepFlops trainingStep(InferredModel model, int batchSize, int generatorBatchFactor) {
        if (batchSize < 1 || generatorBatchFactor < 1) {
            throw new IllegalArgumentException("batchSize and generatorBatchFactor must be positive, got " + batchSize
                    + " and " + generatorBatchFactor);
        }
        InferredNetwork g = model.generator();
        InferredNetwork d = model.discriminator();
        long n = batchSize;
        long gn = n * generatorBatchFactor;
        long gf = forward(g);
        long df = forward(d);
        Pass dTrain = pass(d, true, false);
        Pass dThrough = pass(d, false, true);
        Pass gTrain = pass(g, true, false);
        long dStep = n * gf + 2 * n * df + 2 * n * dTrain.weightLayers;
        long gStep = gn * gf + gn * df + gn * dThrough.weightLayers + gn * gTrain.weightLayers;

        long ge = elementwiseForward(g, false);
        long geTrain = elementwiseForward(g, true);
        long de = elementwiseForward(d, true);
        long other = n * ge
                + 2 * n * (de + dTrain.elementwise)
                + ADAM_FLOP_PER_VALUE * d.trainableCount()
                + gn * (geTrain + de + dThrough.elementwise + gTrain.elementwise)
                + ADAM_FLOP_PER_VALUE * g.trainableCount();
        return new StepFlops(model.spec().name(), batchSize, Math.toIntExact(gn), gf, df, dStep, gStep, other);
    }

    /** Whether the layer's multiply-adds are counted. */
    static boolean isWeightLayer(LayerSpec layer) {
        return layer instanceof Dense || layer instanceof Conv2D || layer instanceof Conv2DTranspose;
    }

    /** Multiply-adds of a weight layer's forward pass per example; 0 for other layers. */
    static long macs(InferredNode n) {
        LayerSpec layer = n.layer();
        if (layer instanceof Dense d) {
            return (long) n.inputShapes().get(0)[0] * d.units();
        }
        if (layer instanceof Conv2D c) {
            int[] in = n.inputShapes().get(0);
            int[] out = n.outputShape();
            return (long) out[0] * out[1] * c.kernelH() * c.kernelW() * in[2] * c.filters();
        }
        if (layer instanceof Conv2DTranspose c) {
            int[] in = n.inputShapes().get(0);
            return (long) in[0] * in[1] * c.kernelH() * c.kernelW() * in[2] * c.filters();
        }
        return 0;
    }

    /** Weight-layer and elementwise FLOP of a backward pass, per example. */
    private record Pass(long weightLayers, long elementwise) {}

    private static Pass pass(InferredNetwork net, boolean updateWeights, boolean imageNeedsGrad) {
        // needsGrad: the gradient of the loss with respect to this value is wanted, because a trainable
        // value of this pass lies upstream of it (or the image input is asked for).
        Map<String, Boolean> needsGrad = new HashMap<>();
        for (String input : net.inputs().keySet()) {
            needsGrad.put(input, imageNeedsGrad && input.equals(NetworkSpec.IMAGE));
        }
        long weight = 0;
        long other = 0;
        for (InferredNode n : net.nodes()) {
            boolean trainable = updateWeights && n.parameters().stream().anyMatch(ParameterSpec::trainable);
            boolean anyInput = false;
            for (String in : n.node().inputs()) {
                anyInput |= needsGrad.getOrDefault(in, false);
            }
            needsGrad.put(n.name(), trainable || anyInput);
            long m = macs(n);
            if (m > 0) {
                if (trainable) {
                    weight += 2 * m;
                }
                if (anyInput) {
                    weight += 2 * m;
                }
            }
            if (trainable || anyInput) {
                other += elementwise(n, true);
                if (trainable && n.layer() instanceof Embedding e) {
                    other += e.outputDim();
                }
            }
        }
        return new Pass(weight, other);
    }

    private static long elementwiseForward(InferredNetwork net, boolean training) {
        long sum = 0;
        for (InferredNode n : net.nodes()) {
            sum += elementwise(n, training);
        }
        return sum;
    }

    /** Rough FLOP per example of a node's non-multiply-add arithmetic (bias, activation, normalisation). */
    private static long elementwise(InferredNode n, boolean training) {
        LayerSpec layer = n.layer();
        long size = n.outputSize();
        if (layer instanceof Dense d) {
            return d.useBias() ? size : 0;
        }
        if (layer instanceof Conv2D c) {
            return c.useBias() ? size : 0;
        }
        if (layer instanceof Conv2DTranspose c) {
            return c.useBias() ? size : 0;
        }
        if (layer instanceof Relu) {
            return size;
        }
        if (layer instanceof LeakyRelu || layer instanceof Dropout) {
            return 2 * size;
        }
        if (layer instanceof Tanh || layer instanceof Sigmoid || layer instanceof Softmax) {
            return 4 * size;
        }
        if (layer instanceof BatchNorm) {
            return (training ? 8 : 2) * size;
        }
        if (layer instanceof Multiply) {
            return (long) (n.inputShapes().size() - 1) * size;
        }
        if (layer instanceof MaxPool2D m) {
            // one comparison per window element
            return (long) m.poolH() * m.poolW() * size;
        }
        return 0;
    }
}
