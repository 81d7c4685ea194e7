package dev.acgan.api.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;

/** Maps layer records to their JSON type names, read once from {@link LayerSpec}'s annotation. */
final class LayerTypes {
    private LayerTypes() {}

    static String nameOf(LayerSpec layer) {
        for (JsonSubTypes.Type t :
                LayerSpec.class.getAnnotation(JsonSubTypes.class).value()) {
            if (t.value() == layer.getClass()) {
                return t.name();
            }
        }
        throw new IllegalStateException("layer type not registered: " + layer.getClass());
    }
}
