package dev.acgan.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.acgan.api.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/** Runs an exported generator with ONNX Runtime (the CPU provider, one thread). */
final class OnnxRuntimeRunner {

    private OnnxRuntimeRunner() {}

    /** The output image tensor, {@code [n, h, w, c]}, for that noise and labels ({@code null}: unconditional). */
    static Tensor generate(byte[] model, Tensor noise, int[] labels) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options)) {
                Map<String, OnnxTensor> inputs = new HashMap<>();
                long[] noiseShape = {noise.shape()[0], noise.shape()[1]};
                try (OnnxTensor n = OnnxTensor.createTensor(env, FloatBuffer.wrap(noise.data()), noiseShape);
                        OnnxTensor l = labels == null
                                ? null
                                : OnnxTensor.createTensor(
                                        env,
                                        LongBuffer.wrap(java.util.Arrays.stream(labels)
                                                .asLongStream()
                                                .toArray()),
                                        new long[] {labels.length})) {
                    inputs.put(OnnxExporter.INPUT_NOISE, n);
                    if (l != null) {
                        inputs.put(OnnxExporter.INPUT_LABEL, l);
                    }
                    try (OrtSession.Result result = session.run(inputs)) {
                        OnnxTensor out = (OnnxTensor)
                                result.get(OnnxExporter.OUTPUT_IMAGE).orElseThrow();
                        long[] shape = out.getInfo().getShape();
                        FloatBuffer buffer = out.getFloatBuffer();
                        float[] data = new float[buffer.remaining()];
                        buffer.get(data);
                        int[] s = new int[shape.length];
                        for (int i = 0; i < shape.length; i++) {
                            s[i] = Math.toIntExact(shape[i]);
                        }
                        return new Tensor(s, data);
                    }
                }
            }
        }
    }
}
