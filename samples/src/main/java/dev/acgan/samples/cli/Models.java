package dev.acgan.samples.cli;

import dev.acgan.api.spec.Presets;
import java.util.Locale;

/** The model names {@code --model} accepts. */
final class Models {

    static final String CHOICES = "acgan, cgan or gan (or the preset names " + String.join(", ", Presets.names()) + ")";

    private Models() {}

    /** The preset name for a model name, e.g. {@code acgan -> acgan-fast}. */
    static String preset(String model) {
        if (model == null) {
            throw new CliException("no model given; choose " + CHOICES);
        }
        String name = model.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "acgan" -> Presets.ACGAN_FAST;
            case "cgan" -> Presets.CGAN_MNIST;
            case "gan", "vanilla" -> Presets.GAN_MLP;
            default -> {
                if (!Presets.names().contains(name)) {
                    throw new CliException("unknown model '" + model + "'; choose " + CHOICES);
                }
                yield name;
            }
        };
    }
}
