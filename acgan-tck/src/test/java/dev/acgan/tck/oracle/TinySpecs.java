package dev.acgan.tck.oracle;

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

/** Tiny model specs (4x4x1 images, 3 classes) that exercise every layer type, for gradient checks. */
final class TinySpecs {

    static final ImageShape IMAGE = new ImageShape(4, 4, 1);
    static final int CLASSES = 3;
    static final int LATENT = 5;

    private TinySpecs() {}

    /** The tiny spec of a kind. */
    static ModelSpec of(GanKind kind) {
        return switch (kind) {
            case ACGAN -> acgan();
            case CGAN -> cgan();
            case GAN -> gan();
        };
    }

    /**
     * ACGAN: embedding * noise, Dense, Reshape, ConvT s2 'same', BatchNorm, LeakyReLU, ConvT s1 'valid',
     * tanh; D with a strided conv, BatchNorm, dropout and both heads.
     */
    static ModelSpec acgan() {
        NetworkSpec g = NetworkSpec.builder()
                .add("embedding", new Embedding(CLASSES, LATENT, Initializer.GLOROT_NORMAL), NetworkSpec.LABEL)
                .add("multiply", new Multiply(), NetworkSpec.NOISE, "embedding")
                .then("dense", Dense.of(2 * 2 * 4))
                .then("reshape", new Reshape(List.of(1, 1, 16)))
                .then("reshape2", new Reshape(List.of(2, 2, 4)))
                .then("deconv1", Conv2DTranspose.of(3, 3, 1, Padding.VALID))
                .then("bn1", new BatchNorm(0.9, 1e-3))
                .then("lrelu1", new LeakyRelu(0.2))
                .then("deconv2", Conv2DTranspose.of(1, 3, 1, Padding.SAME))
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("conv1", Conv2D.of(4, 3, 2, Padding.SAME), NetworkSpec.IMAGE)
                .then("bn", new BatchNorm(0.8, 1e-3))
                .then("lrelu", new LeakyRelu(0.2))
                .then("dropout", new Dropout(0.25))
                .then("flatten", new Flatten())
                .add("validity", Dense.of(1), "flatten")
                .then("validity_sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .add("class", Dense.of(CLASSES), "flatten")
                .then("class_softmax", new Softmax())
                .output(NetworkSpec.OUT_CLASS)
                .build();
        return new ModelSpec("tiny-acgan", GanKind.ACGAN, IMAGE, CLASSES, LATENT, NoiseDistribution.UNIFORM, g, d);
    }

    /** CGAN: one-hot label maps concatenated in both networks, ConvT s2 'same', BatchNorm, ReLU. */
    static ModelSpec cgan() {
        NetworkSpec g = NetworkSpec.builder()
                .add("dense", Dense.of(2 * 2 * 3), NetworkSpec.NOISE)
                .then("dense_bn", new BatchNorm(0.9, 1e-3))
                .then("reshape", new Reshape(List.of(2, 2, 3)))
                .add("label_onehot", new OneHot(CLASSES), NetworkSpec.LABEL)
                .then("label_map", new RepeatSpatial(2, 2))
                .add("concat", new Concat(), "reshape", "label_map")
                .then("deconv1", Conv2DTranspose.of(2, 3, 2, Padding.SAME))
                .then("relu", new Relu())
                .then("conv", Conv2D.of(1, 3, 1, Padding.SAME))
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("label_onehot", new OneHot(CLASSES), NetworkSpec.LABEL)
                .then("label_map", new RepeatSpatial(4, 4))
                .add("concat", new Concat(), NetworkSpec.IMAGE, "label_map")
                .then("conv1", Conv2D.of(3, 3, 2, Padding.SAME))
                .then("conv1_lrelu", new LeakyRelu(0.2))
                .then("conv1_dropout", new Dropout(0.3))
                .then("flatten", new Flatten())
                .then("validity", Dense.of(1))
                .then("validity_sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        return new ModelSpec("tiny-cgan", GanKind.CGAN, IMAGE, CLASSES, LATENT, NoiseDistribution.UNIFORM, g, d);
    }

    /** Vanilla GAN: MLPs with dropout in both networks and a fan-out in the discriminator. */
    static ModelSpec gan() {
        NetworkSpec g = NetworkSpec.builder()
                .add("dense1", Dense.of(8), NetworkSpec.NOISE)
                .then("dense1_lrelu", new LeakyRelu(0.2))
                .then("dense1_dropout", new Dropout(0.5))
                .then("out", Dense.of(IMAGE.size()))
                .then("tanh", new Tanh())
                .then("reshape", new Reshape(List.of(4, 4, 1)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("flatten", new Flatten(), NetworkSpec.IMAGE)
                .then("dense1", Dense.of(6))
                .then("dense1_lrelu", new LeakyRelu(0.2))
                .then("dense1_dropout", new Dropout(0.3))
                .add("gate", new Sigmoid(), "dense1")
                .add("gated", new Multiply(), "dense1_dropout", "gate")
                .then("validity", Dense.of(1))
                .then("validity_sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        return new ModelSpec("tiny-gan", GanKind.GAN, IMAGE, CLASSES, LATENT, NoiseDistribution.UNIFORM, g, d);
    }
}
