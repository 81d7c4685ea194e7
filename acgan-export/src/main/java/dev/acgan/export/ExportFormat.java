package dev.acgan.export;

import java.util.Arrays;
import java.util.Locale;

/** The formats a generator can be exported to. */
public enum ExportFormat {
    /** ONNX, opset {@value OnnxExporter#OPSET}: {@value OnnxExporter#MODEL_FILE} in the output directory. */
    ONNX,
    /**
     * TensorFlow.js layers model ({@code tf.loadLayersModel}): {@value TfjsExporter#MODEL_FILE} and its weight shards
     * in the output directory; generators only.
     */
    TFJS,
    /**
     * A static page that generates in the browser: {@value WebPage#INDEX}, its script and style,
     * {@value OnnxExporter#MODEL_FILE} and onnxruntime-web (WebAssembly) under {@code ort/}; generator only. See
     * {@link WebPage}.
     */
    WEB;

    /** The format of that name (any case), or an error listing the supported ones. */
    public static ExportFormat parse(String name) {
        for (ExportFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.strip())) {
                return f;
            }
        }
        throw new ExportException("unsupported export format '" + name + "'; supported: "
                + Arrays.stream(values()).map(ExportFormat::id).toList());
    }

    /** The lower-case name used on the command line, e.g. {@code onnx}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
