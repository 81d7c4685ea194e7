package dev.acgan.api.spec;

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
import dev.acgan.api.spec.LayerSpec.UpSampling2D;
import java.util.List;
import java.util.Locale;

/**
 * Ready-made specs that reproduce the seed examples. Image size, channels, classes and latent size are
 * parameters: 28x28x1 with 10 classes is the default, and e.g. 32x32x3 works for the convolutional
 * presets (height and width must be multiples of 4).
 */
public final class Presets {

    /** Preset name of {@link #acgan}. */
    public static final String ACGAN_MNIST = "acgan-mnist";
    /** Preset name of {@link #acganFast}. */
    public static final String ACGAN_FAST = "acgan-fast";
    /** Preset name of {@link #acganHq}. */
    public static final String ACGAN_HQ = "acgan-hq";
    /** Preset name of {@link #acganHqWide}. */
    public static final String ACGAN_HQ_WIDE = "acgan-hq-wide";
    /** Preset name of {@link #cgan}. */
    public static final String CGAN_MNIST = "cgan-mnist";
    /** Preset name of {@link #ganMlp}. */
    public static final String GAN_MLP = "gan-mlp";

    private static final double FAST_BN_MOMENTUM = 0.9;

    private Presets() {}

    /** The preset names. */
    public static List<String> names() {
        return List.of(ACGAN_FAST, ACGAN_HQ, ACGAN_HQ_WIDE, ACGAN_MNIST, CGAN_MNIST, GAN_MLP);
    }

    /** A preset by name (or by its kind: "acgan", "cgan", "gan") at 28x28x1, 10 classes, latent 100. */
    public static ModelSpec byName(String name) {
        return byName(name, ImageShape.mnist(), 10, 100);
    }

    /** A preset by name (or kind) with explicit image shape, class count and latent size. */
    public static ModelSpec byName(String name, ImageShape image, int classes, int latentDim) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case ACGAN_MNIST -> acgan(image, classes, latentDim);
            case ACGAN_FAST, "acgan" -> acganFast(image, classes, latentDim);
            case ACGAN_HQ -> acganHq(image, classes, latentDim);
            case ACGAN_HQ_WIDE -> acganHqWide(image, classes, latentDim);
            case CGAN_MNIST, "cgan" -> cgan(image, classes, latentDim);
            case GAN_MLP, "gan" -> ganMlp(image, classes, latentDim);
            default -> throw new SpecException("unknown preset '" + name + "'; known presets: " + names());
        };
    }

    /**
     * The Keras / TensorFlow.js {@code mnist_acgan} networks. Generator: noise times a learned class
     * embedding; Dense (h/4-4)*(w/4-4)*384 ReLU; ConvT 192 5x5 s1 valid, ReLU, BatchNorm; ConvT 96 5x5
     * s2 same, ReLU, BatchNorm; ConvT c 5x5 s2 same, tanh. Discriminator: Conv 32/64/128/256 3x3 with
     * strides 2/1/2/1, each LeakyReLU 0.2 and Dropout 0.3; Flatten; Dense 1 sigmoid and Dense
     * classes softmax.
     */
    public static ModelSpec acgan(ImageShape image, int classes, int latentDim) {
        int h0 = startSize(image.height(), "height", 4) - 4;
        int w0 = startSize(image.width(), "width", 4) - 4;
        if (h0 < 1 || w0 < 1) {
            throw new SpecException("acgan-mnist needs images of at least 20x20, got " + image);
        }
        NetworkSpec g = NetworkSpec.builder()
                .add("embedding", new Embedding(classes, latentDim, Initializer.GLOROT_NORMAL), NetworkSpec.LABEL)
                .add("multiply", new Multiply(), NetworkSpec.NOISE, "embedding")
                .then("dense", Dense.of(h0 * w0 * 384))
                .then("dense_relu", new Relu())
                .then("reshape", new Reshape(List.of(h0, w0, 384)))
                .then("deconv1", convT(192, 1, Padding.VALID))
                .then("deconv1_relu", new Relu())
                .then("bn1", BatchNorm.keras())
                .then("deconv2", convT(96, 2, Padding.SAME))
                .then("deconv2_relu", new Relu())
                .then("bn2", BatchNorm.keras())
                .then("deconv3", convT(image.channels(), 2, Padding.SAME))
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();

        NetworkSpec d = acganDiscriminator(3, new int[] {32, 64, 128, 256}, new int[] {2, 1, 2, 1}, classes);

        ModelSpec spec =
                new ModelSpec(ACGAN_MNIST, GanKind.ACGAN, image, classes, latentDim, NoiseDistribution.UNIFORM, g, d);
        spec.validate();
        return spec;
    }

    /**
     * A small ACGAN that learns class-correct digits in minutes on two CPU cores (DCGAN-style, about a
     * seventh of acgan-mnist's arithmetic). Generator: noise times a learned class embedding; Dense
     * (h/4)*(w/4)*128, reshaped, BatchNorm, ReLU; ConvT 64 4x4 s2 same, BatchNorm, ReLU; ConvT c 4x4 s2
     * same, tanh. Discriminator: Conv 32 and 64, 4x4 s2 same, each LeakyReLU 0.2 and Dropout 0.3;
     * Flatten; Dense 1 sigmoid and Dense classes softmax.
     *
     * <p>Its BatchNorm momentum is 0.9, not Keras' 0.99: the discriminator step sees fakes made in
     * inference mode (moving statistics), and with 0.99 those statistics lag the generator for the first
     * few hundred steps, so the discriminator learns to reject images the generator's training-mode
     * output does not look like. Measured (TensorFlow, seed 42, batch 64, embedded MNIST): conditional
     * accuracy after 250 steps 10% with 0.99, 72% with 0.9; after 1,500 steps 92% and 96%.
     */
    public static ModelSpec acganFast(ImageShape image, int classes, int latentDim) {
        int h0 = startSize(image.height(), "height", 4);
        int w0 = startSize(image.width(), "width", 4);
        NetworkSpec g = NetworkSpec.builder()
                .add("embedding", new Embedding(classes, latentDim, Initializer.GLOROT_NORMAL), NetworkSpec.LABEL)
                .add("multiply", new Multiply(), NetworkSpec.NOISE, "embedding")
                .then("dense", Dense.of(h0 * w0 * 128))
                .then("reshape", new Reshape(List.of(h0, w0, 128)))
                .then("bn0", new BatchNorm(FAST_BN_MOMENTUM, 1e-3))
                .then("relu0", new Relu())
                .then("deconv1", Conv2DTranspose.of(64, 4, 2, Padding.SAME))
                .then("bn1", new BatchNorm(FAST_BN_MOMENTUM, 1e-3))
                .then("relu1", new Relu())
                .then("deconv2", Conv2DTranspose.of(image.channels(), 4, 2, Padding.SAME))
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = acganDiscriminator(4, new int[] {32, 64}, new int[] {2, 2}, classes);
        ModelSpec spec =
                new ModelSpec(ACGAN_FAST, GanKind.ACGAN, image, classes, latentDim, NoiseDistribution.UNIFORM, g, d);
        spec.validate();
        return spec;
    }

    /**
     * {@link #acganFast} with resize-then-convolve up-sampling: each 4x4 stride-2 transposed convolution of
     * the generator becomes a nearest-neighbour {@link UpSampling2D} by 2 and a 3x3 stride-1 'same'
     * convolution with the same filters, so every output pixel gets the same number of kernel taps and the
     * generator leaves no checkerboard pattern (a stride-2 transposed convolution whose kernel size the
     * stride does not divide evenly overlaps unevenly: Odena, Dumoulin and Olah, "Deconvolution and
     * Checkerboard Artifacts", Distill 2016). Generator: noise times a learned class embedding; Dense
     * (h/4)*(w/4)*128, reshaped, BatchNorm, ReLU; up-sampling, Conv 64 3x3 s1 same, BatchNorm, ReLU;
     * up-sampling, Conv c 3x3 s1 same, tanh. The discriminator, the BatchNorm momentum and the training
     * recipe ({@code TrainingConfig.forPreset}) are those of acgan-fast. The convolutions run on the
     * up-sampled maps, so the generator costs about twice acgan-fast's arithmetic (3x3 taps on 4x the
     * positions against 4x4 taps).
     */
    public static ModelSpec acganHq(ImageShape image, int classes, int latentDim) {
        return resizeThenConvolve(ACGAN_HQ, image, classes, latentDim, new int[] {32, 64});
    }

    /**
     * {@link #acganHq} with a discriminator twice as wide: Conv 64 and 128 (4x4 s2 same) instead of 32 and
     * 64, the generator and everything else unchanged. It is the model of the 15-minute recipe
     * ({@code recipes/acgan-hq-15min.yaml}), where it gave a lower FID than acgan-hq in every seed tried
     * (docs/training.md, "The 15-minute recipe"). The discriminator's multiply-adds per image grow from
     * about 1.7 to 6.7 million (the generator's are 15.5 million), and it runs three times per step.
     */
    public static ModelSpec acganHqWide(ImageShape image, int classes, int latentDim) {
        return resizeThenConvolve(ACGAN_HQ_WIDE, image, classes, latentDim, new int[] {64, 128});
    }

    private static ModelSpec resizeThenConvolve(
            String name, ImageShape image, int classes, int latentDim, int[] discriminatorFilters) {
        int h0 = startSize(image.height(), "height", 4);
        int w0 = startSize(image.width(), "width", 4);
        NetworkSpec g = NetworkSpec.builder()
                .add("embedding", new Embedding(classes, latentDim, Initializer.GLOROT_NORMAL), NetworkSpec.LABEL)
                .add("multiply", new Multiply(), NetworkSpec.NOISE, "embedding")
                .then("dense", Dense.of(h0 * w0 * 128))
                .then("reshape", new Reshape(List.of(h0, w0, 128)))
                .then("bn0", new BatchNorm(FAST_BN_MOMENTUM, 1e-3))
                .then("relu0", new Relu())
                .then("up1", UpSampling2D.of(2))
                .then("conv1", Conv2D.of(64, 3, 1, Padding.SAME))
                .then("bn1", new BatchNorm(FAST_BN_MOMENTUM, 1e-3))
                .then("relu1", new Relu())
                .then("up2", UpSampling2D.of(2))
                .then("conv2", Conv2D.of(image.channels(), 3, 1, Padding.SAME))
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = acganDiscriminator(4, discriminatorFilters, new int[] {2, 2}, classes);
        ModelSpec spec = new ModelSpec(name, GanKind.ACGAN, image, classes, latentDim, NoiseDistribution.UNIFORM, g, d);
        spec.validate();
        return spec;
    }

    /**
     * The discriminator of the ACGAN presets: square convolutions (same padding) named conv1, conv2, ...,
     * each followed by LeakyReLU 0.2 and Dropout 0.3; Flatten; the validity head (Dense 1, sigmoid) and the
     * class head (Dense classes, softmax) on the same features.
     */
    private static NetworkSpec acganDiscriminator(int kernel, int[] filters, int[] strides, int classes) {
        NetworkSpec.Builder d = NetworkSpec.builder();
        String prev = NetworkSpec.IMAGE;
        for (int i = 0; i < filters.length; i++) {
            String n = "conv" + (i + 1);
            d.add(n, Conv2D.of(filters[i], kernel, strides[i], Padding.SAME), prev)
                    .then(n + "_lrelu", new LeakyRelu(0.2))
                    .then(n + "_dropout", new Dropout(0.3));
            prev = d.last();
        }
        d.then("flatten", new Flatten());
        String features = d.last();
        d.add("validity", Dense.of(1), features)
                .then("validity_sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY);
        d.add("class", Dense.of(classes), features)
                .then("class_softmax", new Softmax())
                .output(NetworkSpec.OUT_CLASS);
        return d.build();
    }

    /**
     * A conditional GAN after the GAN/CGAN/ACGAN seed: the one-hot label, repeated over the first
     * generator feature map (h/4 x w/4 x 128), is concatenated to it, and repeated over the image, is
     * concatenated to the discriminator input as extra channels. No auxiliary head.
     */
    public static ModelSpec cgan(ImageShape image, int classes, int latentDim) {
        int h0 = startSize(image.height(), "height", 4);
        int w0 = startSize(image.width(), "width", 4);
        NetworkSpec g = NetworkSpec.builder()
                .add("dense", Dense.of(h0 * w0 * 128), NetworkSpec.NOISE)
                .then("dense_bn", BatchNorm.keras())
                .then("dense_relu", new Relu())
                .then("reshape", new Reshape(List.of(h0, w0, 128)))
                .add("label_onehot", new OneHot(classes), NetworkSpec.LABEL)
                .then("label_map", new RepeatSpatial(h0, w0))
                .add("concat", new Concat(), "reshape", "label_map")
                .then("deconv1", convT(64, 2, Padding.SAME))
                .then("bn1", BatchNorm.keras())
                .then("deconv1_relu", new Relu())
                .then("deconv2", convT(image.channels(), 2, Padding.SAME))
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("label_onehot", new OneHot(classes), NetworkSpec.LABEL)
                .then("label_map", new RepeatSpatial(image.height(), image.width()))
                .add("concat", new Concat(), NetworkSpec.IMAGE, "label_map")
                .then("conv1", Conv2D.of(64, 5, 2, Padding.SAME))
                .then("conv1_lrelu", new LeakyRelu(0.2))
                .then("conv1_dropout", new Dropout(0.3))
                .then("conv2", Conv2D.of(128, 5, 2, Padding.SAME))
                .then("conv2_lrelu", new LeakyRelu(0.2))
                .then("conv2_dropout", new Dropout(0.3))
                .then("flatten", new Flatten())
                .then("validity", Dense.of(1))
                .then("validity_sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        ModelSpec spec =
                new ModelSpec(CGAN_MNIST, GanKind.CGAN, image, classes, latentDim, NoiseDistribution.UNIFORM, g, d);
        spec.validate();
        return spec;
    }

    /**
     * The fully connected vanilla GAN of the VanillaGAN seed. Generator: Dense 256, 512, 1024 with
     * LeakyReLU 0.2, then Dense h*w*c with tanh, reshaped to the image. Discriminator: Flatten, Dense 512
     * and 256 with LeakyReLU 0.2 and Dropout 0.3, then Dense 1 sigmoid. {@code encodingDims} is the
     * noise length (the seed's {@code --encoding_dims}).
     */
    public static ModelSpec ganMlp(ImageShape image, int classes, int encodingDims) {
        NetworkSpec.Builder g = NetworkSpec.builder();
        String prev = NetworkSpec.NOISE;
        int[] widths = {256, 512, 1024};
        for (int i = 0; i < widths.length; i++) {
            g.add("dense" + (i + 1), Dense.of(widths[i]), prev).then("dense" + (i + 1) + "_lrelu", new LeakyRelu(0.2));
            prev = g.last();
        }
        g.then("out", Dense.of(image.size()))
                .then("tanh", new Tanh())
                .then("reshape", new Reshape(List.of(image.height(), image.width(), image.channels())))
                .output(NetworkSpec.OUT_IMAGE);
        NetworkSpec d = NetworkSpec.builder()
                .add("flatten", new Flatten(), NetworkSpec.IMAGE)
                .then("dense1", Dense.of(512))
                .then("dense1_lrelu", new LeakyRelu(0.2))
                .then("dense1_dropout", new Dropout(0.3))
                .then("dense2", Dense.of(256))
                .then("dense2_lrelu", new LeakyRelu(0.2))
                .then("dense2_dropout", new Dropout(0.3))
                .then("validity", Dense.of(1))
                .then("validity_sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        ModelSpec spec = new ModelSpec(
                GAN_MLP, GanKind.GAN, image, classes, encodingDims, NoiseDistribution.UNIFORM, g.build(), d);
        spec.validate();
        return spec;
    }

    private static Conv2DTranspose convT(int filters, int stride, Padding padding) {
        return new Conv2DTranspose(
                filters, 5, 5, stride, stride, padding, true, Initializer.GLOROT_NORMAL, Initializer.ZEROS);
    }

    private static int startSize(int size, String what, int factor) {
        if (size % factor != 0) {
            throw new SpecException("image " + what + " must be a multiple of " + factor + ", got " + size);
        }
        return size / factor;
    }
}
