package dev.acgan.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One layer of a network spec, with its hyper-parameters. Layers carry no weights: parameter names and
 * canonical shapes follow from {@link ShapeInference}. Activations are layers of their own, so a
 * "Dense with ReLU" is two nodes. The JSON form is {@code {"type": "conv2d", ...}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LayerSpec.Dense.class, name = "dense"),
    @JsonSubTypes.Type(value = LayerSpec.Embedding.class, name = "embedding"),
    @JsonSubTypes.Type(value = LayerSpec.OneHot.class, name = "one_hot"),
    @JsonSubTypes.Type(value = LayerSpec.Multiply.class, name = "multiply"),
    @JsonSubTypes.Type(value = LayerSpec.Concat.class, name = "concat"),
    @JsonSubTypes.Type(value = LayerSpec.Reshape.class, name = "reshape"),
    @JsonSubTypes.Type(value = LayerSpec.Flatten.class, name = "flatten"),
    @JsonSubTypes.Type(value = LayerSpec.RepeatSpatial.class, name = "repeat_spatial"),
    @JsonSubTypes.Type(value = LayerSpec.Conv2D.class, name = "conv2d"),
    @JsonSubTypes.Type(value = LayerSpec.Conv2DTranspose.class, name = "conv2d_transpose"),
    @JsonSubTypes.Type(value = LayerSpec.MaxPool2D.class, name = "max_pool2d"),
    @JsonSubTypes.Type(value = LayerSpec.UpSampling2D.class, name = "up_sampling2d"),
    @JsonSubTypes.Type(value = LayerSpec.BatchNorm.class, name = "batch_norm"),
    @JsonSubTypes.Type(value = LayerSpec.Relu.class, name = "relu"),
    @JsonSubTypes.Type(value = LayerSpec.LeakyRelu.class, name = "leaky_relu"),
    @JsonSubTypes.Type(value = LayerSpec.Tanh.class, name = "tanh"),
    @JsonSubTypes.Type(value = LayerSpec.Sigmoid.class, name = "sigmoid"),
    @JsonSubTypes.Type(value = LayerSpec.Softmax.class, name = "softmax"),
    @JsonSubTypes.Type(value = LayerSpec.Dropout.class, name = "dropout"),
})
public sealed interface LayerSpec {

    /** Short type name used in parameter names and JSON, e.g. {@code conv2d_transpose}. */
    default String typeName() {
        return LayerTypes.nameOf(this);
    }

    /** Fully connected: {@code [d] -> [units]}; kernel {@code [d, units]}, bias {@code [units]}. */
    record Dense(int units, boolean useBias, Initializer kernelInit, Initializer biasInit) implements LayerSpec {
        /** Dense with bias, Glorot-uniform kernel and zero bias (the Keras defaults). */
        public static Dense of(int units) {
            return new Dense(units, true, Initializer.GLOROT_UNIFORM, Initializer.ZEROS);
        }
    }

    /** Learned lookup table on an integer input: {@code [] -> [outputDim]}; embeddings {@code [inputDim, outputDim]}. */
    record Embedding(int inputDim, int outputDim, Initializer init) implements LayerSpec {}

    /** One-hot encoding of an integer input: {@code [] -> [depth]}. No parameters. */
    record OneHot(int depth) implements LayerSpec {}

    /** Element-wise product of two or more inputs of the same shape. */
    record Multiply() implements LayerSpec {}

    /** Concatenation of inputs along the last (channel) axis; other dimensions must agree. */
    record Concat() implements LayerSpec {}

    /** Reshape to {@code targetShape} (without the batch dimension), NHWC order. */
    record Reshape(List<Integer> targetShape) implements LayerSpec {
        /** Defensive copy. */
        public Reshape {
            targetShape = List.copyOf(targetShape);
        }
    }

    /** Flatten to one dimension in NHWC (row-major) order. */
    record Flatten() implements LayerSpec {}

    /** Repeats a vector over a spatial grid: {@code [c] -> [height, width, c]} (CGAN label maps). */
    record RepeatSpatial(int height, int width) implements LayerSpec {}

    /**
     * 2-D convolution over NHWC input: {@code [h, w, c] -> [h', w', filters]}, kernel
     * {@code [kernelH, kernelW, c, filters]}, bias {@code [filters]}; output sizes follow TensorFlow's
     * 'same'/'valid' rules.
     */
    record Conv2D(
            int filters,
            int kernelH,
            int kernelW,
            int strideH,
            int strideW,
            Padding padding,
            boolean useBias,
            Initializer kernelInit,
            Initializer biasInit)
            implements LayerSpec {
        /** Square kernel and stride, bias, Glorot-uniform kernel (Keras defaults). */
        public static Conv2D of(int filters, int kernel, int stride, Padding padding) {
            return new Conv2D(
                    filters,
                    kernel,
                    kernel,
                    stride,
                    stride,
                    padding,
                    true,
                    Initializer.GLOROT_UNIFORM,
                    Initializer.ZEROS);
        }
    }

    /**
     * Transposed 2-D convolution (the gradient of Conv2D): {@code [h, w, c] -> [h', w', filters]} with
     * 'same': {@code h' = h*stride}, 'valid': {@code h' = (h-1)*stride + kernel}; kernel
     * {@code [kernelH, kernelW, filters, c]} (output channels before input channels, as in TensorFlow).
     */
    record Conv2DTranspose(
            int filters,
            int kernelH,
            int kernelW,
            int strideH,
            int strideW,
            Padding padding,
            boolean useBias,
            Initializer kernelInit,
            Initializer biasInit)
            implements LayerSpec {
        /** Square kernel and stride, bias, Glorot-uniform kernel. */
        public static Conv2DTranspose of(int filters, int kernel, int stride, Padding padding) {
            return new Conv2DTranspose(
                    filters,
                    kernel,
                    kernel,
                    stride,
                    stride,
                    padding,
                    true,
                    Initializer.GLOROT_UNIFORM,
                    Initializer.ZEROS);
        }
    }

    /**
     * 2-D max-pooling over NHWC input, per channel: {@code [h, w, c] -> [h', w', c]}, each output the
     * largest value of a {@code poolH x poolW} window; no parameters. Output sizes follow TensorFlow's
     * rules as for {@link Conv2D} ('valid': {@code ceil((h - poolH + 1) / strideH)}, 'same':
     * {@code ceil(h / strideH)}); 'same' pads as TensorFlow does ({@code floor(total/2)} before, the rest
     * after) and padded positions never win (as if they held minus infinity). The gradient goes to the
     * window's maximum; where several values tie for it, backends may pick different ones (the TCK's
     * oracle takes the first in row-major window order). Ties are rare in float data except for zeros
     * after a ReLU, whose gradient the ReLU stops anyway.
     */
    record MaxPool2D(int poolH, int poolW, int strideH, int strideW, Padding padding) implements LayerSpec {
        /** Square window and stride. */
        public static MaxPool2D of(int pool, int stride, Padding padding) {
            return new MaxPool2D(pool, pool, stride, stride, padding);
        }
    }

    /**
     * Nearest-neighbour up-sampling of NHWC input by integer factors, per channel: {@code [h, w, c] ->
     * [h*factorH, w*factorW, c]}, {@code y[i, j, c] = x[i / factorH, j / factorW, c]} (integer division;
     * Keras' {@code UpSampling2D} with {@code interpolation='nearest'}); no parameters. The gradient of an
     * input value is the sum of the gradients of its {@code factorH x factorW} copies. Followed by a
     * stride-1 convolution it replaces a stride-2 transposed convolution without the checkerboard pattern
     * that uneven kernel overlap leaves. In JSON a missing factor is 2.
     */
    record UpSampling2D(int factorH, int factorW) implements LayerSpec {
        /** The default factor of {@link #of()} and of a factor missing in JSON. */
        public static final int DEFAULT_FACTOR = 2;

        /** Square factor. */
        public static UpSampling2D of(int factor) {
            return new UpSampling2D(factor, factor);
        }

        /** Factor 2 in both directions. */
        public static UpSampling2D of() {
            return of(DEFAULT_FACTOR);
        }

        /** The JSON form: {@code {"type": "up_sampling2d", "factorH": 2, "factorW": 2}}, a missing factor 2. */
        @JsonCreator
        static UpSampling2D fromJson(
                @JsonProperty("factorH") Integer factorH, @JsonProperty("factorW") Integer factorW) {
            return new UpSampling2D(
                    factorH == null ? DEFAULT_FACTOR : factorH, factorW == null ? DEFAULT_FACTOR : factorW);
        }
    }

    /**
     * Batch normalisation over the last axis. Training mode normalises with the batch's mean and
     * biased variance and updates {@code moving = momentum*moving + (1-momentum)*batch} (the moving
     * variance takes the unbiased batch variance {@code var * n/(n-1)}, n the values per channel, as
     * TensorFlow.js and Keras' fused kernel do; with n = 1 the factor is 1); inference mode uses the
     * moving statistics. Parameters gamma and beta, statistics moving_mean and moving_variance, all
     * {@code [c]}.
     */
    record BatchNorm(double momentum, double epsilon) implements LayerSpec {
        /** Keras defaults: momentum 0.99, epsilon 1e-3. */
        public static BatchNorm keras() {
            return new BatchNorm(0.99, 1e-3);
        }
    }

    /** max(x, 0). */
    record Relu() implements LayerSpec {}

    /** x for x &gt;= 0, alpha*x otherwise. */
    record LeakyRelu(double alpha) implements LayerSpec {}

    /** Hyperbolic tangent. */
    record Tanh() implements LayerSpec {}

    /** Logistic sigmoid. */
    record Sigmoid() implements LayerSpec {}

    /** Softmax over the last axis. */
    record Softmax() implements LayerSpec {}

    /**
     * Inverted dropout: in training mode each value is kept with probability {@code 1-rate} and scaled by
     * {@code 1/(1-rate)}; identity in inference mode. The keep mask is supplied by the caller (see
     * {@code dev.acgan.api.train.DropoutMasks}) so every backend drops the same units.
     */
    record Dropout(double rate) implements LayerSpec {}
}
