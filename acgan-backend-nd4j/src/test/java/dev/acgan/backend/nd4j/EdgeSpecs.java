package dev.acgan.backend.nd4j;

import dev.acgan.api.spec.GanKind;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.Initializer;
import dev.acgan.api.spec.LayerSpec.BatchNorm;
import dev.acgan.api.spec.LayerSpec.Concat;
import dev.acgan.api.spec.LayerSpec.Conv2D;
import dev.acgan.api.spec.LayerSpec.Conv2DTranspose;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Dropout;
import dev.acgan.api.spec.LayerSpec.Embedding;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.LeakyRelu;
import dev.acgan.api.spec.LayerSpec.Multiply;
import dev.acgan.api.spec.LayerSpec.OneHot;
import dev.acgan.api.spec.LayerSpec.Relu;
import dev.acgan.api.spec.LayerSpec.RepeatSpatial;
import dev.acgan.api.spec.LayerSpec.Reshape;
import dev.acgan.api.spec.LayerSpec.Sigmoid;
import dev.acgan.api.spec.LayerSpec.Softmax;
import dev.acgan.api.spec.LayerSpec.Tanh;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.NoiseDistribution;
import dev.acgan.api.spec.Padding;
import java.util.List;

/**
 * Small specs that use every layer type and stress what the ND4J compiler does differently from
 * TensorFlow: transposed convolutions with even, non-square and larger-than-stride kernels, strides 1, 2
 * and 3 with 'same' and 'valid' padding (asymmetric correlation padding, cropping, phases without
 * taps), convolutions with asymmetric 'same' padding, BatchNorm of rank 1 and 3 in both networks,
 * Dropout in both networks, Softmax on a hidden layer.
 */
final class EdgeSpecs {

    private EdgeSpecs() {}

    static List<ModelSpec> all() {
        return List.of(acgan(), cgan(), gan());
    }

    private static Conv2DTranspose deconv(int filters, int kh, int kw, int sh, int sw, Padding p) {
        return new Conv2DTranspose(filters, kh, kw, sh, sw, p, true, Initializer.GLOROT_NORMAL, Initializer.ZEROS);
    }

    private static Conv2D conv(int filters, int kh, int kw, int sh, int sw, Padding p) {
        return new Conv2D(filters, kh, kw, sh, sw, p, true, Initializer.GLOROT_UNIFORM, Initializer.ZEROS);
    }

    /** ACGAN on 9x7x2 images, 3 classes, latent 6. */
    static ModelSpec acgan() {
        NetworkSpec g = NetworkSpec.builder()
                .add("embedding", new Embedding(3, 6, Initializer.GLOROT_NORMAL), NetworkSpec.LABEL)
                .add("multiply", new Multiply(), NetworkSpec.NOISE, "embedding")
                .then("dense", Dense.of(2 * 2 * 5))
                .then("lrelu0", new LeakyRelu(0.1))
                .then("reshape", new Reshape(List.of(2, 2, 5)))
                // even kernel, stride 2, 'same': 2x2 -> 4x4
                .then("deconv1", deconv(4, 4, 4, 2, 2, Padding.SAME))
                .then("bn1", new BatchNorm(0.9, 1e-3))
                .then("relu1", new Relu())
                // stride 2x1 'valid', non-square kernel: 4x4 -> 9x5
                .then("deconv2", deconv(3, 3, 2, 2, 1, Padding.VALID))
                .then("relu2", new Relu())
                // 1x3 'valid': 9x5 -> 9x7
                .then("deconv3", deconv(2, 1, 3, 1, 1, Padding.VALID))
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("conv1", conv(3, 3, 2, 2, 1, Padding.SAME), NetworkSpec.IMAGE)
                .then("bn1", new BatchNorm(0.8, 1e-2))
                .then("lrelu1", new LeakyRelu(0.2))
                .then("drop1", new Dropout(0.3))
                .then("conv2", conv(4, 2, 2, 1, 1, Padding.VALID))
                .then("relu2", new Relu())
                .then("drop2", new Dropout(0.5))
                .then("flatten", new Flatten())
                .add("validity", Dense.of(1), "flatten")
                .then("validity_sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .add("class", Dense.of(3), "flatten")
                .then("class_softmax", new Softmax())
                .output(NetworkSpec.OUT_CLASS)
                .build();
        return checked(new ModelSpec(
                "edge-acgan", GanKind.ACGAN, new ImageShape(9, 7, 2), 3, 6, NoiseDistribution.UNIFORM, g, d));
    }

    /** CGAN on 6x6x1 images, 2 classes, latent 3. */
    static ModelSpec cgan() {
        NetworkSpec g = NetworkSpec.builder()
                .add("dense", Dense.of(2 * 2 * 3), NetworkSpec.NOISE)
                .then("relu0", new Relu())
                .then("reshape", new Reshape(List.of(2, 2, 3)))
                .add("onehot", new OneHot(2), NetworkSpec.LABEL)
                .then("map", new RepeatSpatial(2, 2))
                .add("concat", new Concat(), "reshape", "map")
                // stride 3 'same', kernel 5: 2x2 -> 6x6
                .then("deconv1", deconv(2, 5, 5, 3, 3, Padding.SAME))
                .then("bn1", new BatchNorm(0.99, 1e-3))
                .then("drop1", new Dropout(0.2))
                // even kernel, stride 1, 'same' (asymmetric padding): 6x6 -> 6x6
                .then("deconv2", deconv(1, 2, 2, 1, 1, Padding.SAME))
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("onehot", new OneHot(2), NetworkSpec.LABEL)
                .then("map", new RepeatSpatial(6, 6))
                .add("concat", new Concat(), NetworkSpec.IMAGE, "map")
                // kernel 4, stride 3 'same' (asymmetric padding)
                .then("conv1", conv(3, 4, 4, 3, 3, Padding.SAME))
                .then("lrelu1", new LeakyRelu(0.3))
                .then("flatten", new Flatten())
                .then("dense1", Dense.of(4))
                .then("drop1", new Dropout(0.4))
                .then("validity", Dense.of(1))
                .then("sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        return checked(new ModelSpec(
                "edge-cgan", GanKind.CGAN, new ImageShape(6, 6, 1), 2, 3, NoiseDistribution.NORMAL, g, d));
    }

    /** Vanilla GAN on 4x4x1 images, latent 2: rank-1 BatchNorm, Softmax on a hidden layer. */
    static ModelSpec gan() {
        NetworkSpec g = NetworkSpec.builder()
                .add("dense1", Dense.of(8), NetworkSpec.NOISE)
                .then("bn1", new BatchNorm(0.9, 1e-3))
                .then("tanh1", new Tanh())
                .then("drop1", new Dropout(0.25))
                .then("dense2", Dense.of(16))
                .then("tanh", new Tanh())
                .then("reshape", new Reshape(List.of(4, 4, 1)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("flatten", new Flatten(), NetworkSpec.IMAGE)
                .then("dense1", Dense.of(5))
                .then("softmax1", new Softmax())
                .then("dense2", new Dense(3, false, Initializer.GLOROT_UNIFORM, Initializer.ZEROS))
                .then("lrelu2", new LeakyRelu(0.2))
                .then("validity", Dense.of(1))
                .then("sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        return checked(
                new ModelSpec("edge-gan", GanKind.GAN, new ImageShape(4, 4, 1), 2, 2, NoiseDistribution.UNIFORM, g, d));
    }

    private static ModelSpec checked(ModelSpec spec) {
        spec.validate();
        return spec;
    }
}
