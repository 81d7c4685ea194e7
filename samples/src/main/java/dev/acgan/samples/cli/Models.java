package dev.acgan.samples.cli;

import dev.acgan.api.spec.Presets;
import java.util.Locale;

/** The model names {@code --model} accepts. */
final class Models {

    static final String CHOICES =
            "acgan, cgan or gan (or the preset names acgan-fast, acgan-hq, acgan-mnist, cgan-mnist, gan-mlp)";

    private Models() {}

    /** The preset name for a model name, e.g. {@code acgan -> acgan-fast}. */
    static String preset(String model) {
        if (model == null) {
            throw new CliException("no model given; choose " + CHOICES);
        }
        return switch (model.strip().toLowerCase(Locale.ROOT)) {
            case "acgan", Presets.ACGAN_FAST -> Presets.ACGAN_FAST;
            case Presets.ACGAN_HQ -> Presets.ACGAN_HQ;
            case Presets.ACGAN_MNIST -> Presets.ACGAN_MNIST;
            case "cgan", Presets.CGAN_MNIST -> Presets.CGAN_MNIST;
            case "gan", "vanilla", Presets.GAN_MLP -> Presets.GAN_MLP;
            default -> throw new CliException("unknown model '" + model + "'; choose " + CHOICES);
        };
    }
}
