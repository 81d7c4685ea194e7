package dev.acgan.api.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** JSON form of {@link ModelSpec}: what checkpoints store and what users may write by hand. */
public final class SpecJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private SpecJson() {}

    /** The spec as indented JSON. */
    public static String toJson(ModelSpec spec) {
        try {
            return MAPPER.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise spec " + spec.name(), e);
        }
    }

    /** Parses and validates a spec; a malformed or inconsistent one gives a {@link SpecException}. */
    public static ModelSpec fromJson(String json) {
        ModelSpec spec;
        try {
            spec = MAPPER.readValue(json, ModelSpec.class);
        } catch (JsonProcessingException e) {
            throw new SpecException("invalid model spec JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " at line " + e.getLocation().getLineNr() + ", column "
                                    + e.getLocation().getColumnNr()));
        }
        spec.validate();
        return spec;
    }

    /** The shared mapper configuration, for embedding specs in larger documents. */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }
}
