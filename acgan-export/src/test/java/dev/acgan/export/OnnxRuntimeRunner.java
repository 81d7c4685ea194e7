package dev.acgan.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.acgan.api.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs an exported model with ONNX Runtime (the CPU provider, one thread). */
final class OnnxRuntimeRunner {

    private OnnxRuntimeRunner() {}

    /** The generator's images, {@code [n, h, w, c]}, for that noise and labels ({@code null}: unconditional). */
    static Tensor generate(byte[] model, Tensor noise, int[] labels) throws OrtException {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put(OnnxExporter.INPUT_NOISE, noise);
        if (labels != null) {
            inputs.put(OnnxExporter.INPUT_LABEL, labels);
        }
        return run(model, inputs).get(OnnxExporter.OUTPUT_IMAGE);
    }

    /**
     * Runs the model on float inputs (a {@link Tensor}, batch first) and int64 labels (an {@code int[]}); returns
     * every output by name.
     */
    static Map<String, Tensor> run(byte[] model, Map<String, Object> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> created = new ArrayList<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options)) {
                Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : inputs.entrySet()) {
                    OnnxTensor t;
                    if (e.getValue() instanceof Tensor x) {
                        long[] shape = Arrays.stream(x.shape()).asLongStream().toArray();
                        t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), shape);
                    } else {
                        int[] labels = (int[]) e.getValue();
                        t = OnnxTensor.createTensor(
                                env,
                                LongBuffer.wrap(
                                        Arrays.stream(labels).asLongStream().toArray()),
                                new long[] {labels.length});
                    }
                    created.add(t);
                    feeds.put(e.getKey(), t);
                }
                Map<String, Tensor> outputs = new LinkedHashMap<>();
                try (OrtSession.Result result = session.run(feeds)) {
                    for (Map.Entry<String, OnnxValue> e : result) {
                        OnnxTensor out = (OnnxTensor) e.getValue();
                        long[] shape = out.getInfo().getShape();
                        FloatBuffer buffer = out.getFloatBuffer();
                        float[] data = new float[buffer.remaining()];
                        buffer.get(data);
                        outputs.put(
                                e.getKey(),
                                new Tensor(
                                        Arrays.stream(shape)
                                                .mapToInt(Math::toIntExact)
                                                .toArray(),
                                        data));
                    }
                }
                return outputs;
            }
        } finally {
            for (OnnxTensor t : created) {
                t.close();
            }
        }
    }
}
