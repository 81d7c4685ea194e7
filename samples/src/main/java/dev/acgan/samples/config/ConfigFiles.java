package dev.acgan.samples.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.acgan.eval.render.Images;
import dev.acgan.samples.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes {@link TrainSettings} as YAML. Unknown keys are errors, so typos do not pass silently. */
public final class ConfigFiles {

    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** Largest settings file read: a few dozen keys fit in a few hundred bytes. */
    static final long MAX_BYTES = 1 << 20;

    private ConfigFiles() {}

    /**
     * Reads a settings file. An empty file sets nothing.
     *
     * @throws CliException naming the file, and the key or line, when it is missing or malformed
     */
    public static TrainSettings read(Path file) {
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new CliException("config file " + file + " is " + size + " bytes; a settings file is at most "
                        + MAX_BYTES + " (is it the right file?)");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException("config file " + file + " does not exist");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CliException("config file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new CliException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (text.isBlank()) {
            return new TrainSettings();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode node = YAML.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return new TrainSettings();
            }
            if (!node.isObject()) {
                throw new CliException("config file " + file + ": expected a mapping of keys to values "
                        + "(e.g. 'batch-size: 16'), found a "
                        + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            TrainSettings s = YAML.readValue(text, TrainSettings.class);
            return s == null ? new TrainSettings() : s;
        } catch (UnrecognizedPropertyException e) {
            throw new CliException("config file " + file + where(e.getLocation()) + ": unknown key '"
                    + e.getPropertyName() + "'; known keys: " + String.join(", ", TrainSettings.keys()));
        } catch (InvalidFormatException e) {
            throw new CliException("config file " + file + where(e.getLocation()) + ": key '" + path(e)
                    + "' has value '" + e.getValue() + "', which is not a valid " + simpleType(e));
        } catch (MismatchedInputException e) {
            String key = path(e);
            throw new CliException("config file " + file + where(e.getLocation()) + ": "
                    + (key.isEmpty()
                            ? "expected a mapping of keys to values (e.g. 'batch-size: 16')"
                            : "key '" + key + "' has a value of the wrong kind (expected a " + simpleType(e) + ")"));
        } catch (JsonProcessingException e) {
            throw new CliException("config file " + file + where(e.getLocation()) + ": not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    /** Writes the settings as YAML, atomically, with a comment header. */
    public static void write(TrainSettings settings, String header, Path file) {
        String body = toYaml(settings);
        StringBuilder text = new StringBuilder();
        if (header != null) {
            header.lines().forEach(l -> text.append("# ").append(l).append('\n'));
        }
        text.append(body);
        Images.writeAtomically(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /** The settings as YAML text. */
    public static String toYaml(TrainSettings settings) {
        try {
            return YAML.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 1 ? "" : " line " + loc.getLineNr();
    }

    private static String path(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.toString();
    }

    private static String simpleType(MismatchedInputException e) {
        Class<?> t = e.getTargetType();
        if (t == null) {
            return "value";
        }
        if (t == Integer.class || t == Long.class || t == int.class || t == long.class) {
            return "whole number";
        }
        if (t == Double.class || t == double.class) {
            return "number";
        }
        if (t == String.class) {
            return "string";
        }
        return t.getSimpleName();
    }
}
