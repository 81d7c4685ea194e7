package dev.acgan.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.data.IdxDataset;
import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.ClassifierOutput;
import dev.acgan.api.spec.ClassifierPresets;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.tck.oracle.ReferenceBackend;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exported LeNet classifier (convolutions, max-pooling, flatten, dense, softmax) computes what each backend's
 * classifier and the TCK's oracle compute, on real MNIST digits, within the TCK's output tolerance.
 */
class OnnxClassifierExportTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tensorflow", "nd4j", "pytorch", ReferenceBackend.NAME})
    void exportedLenetMatchesTheBackend(String backendName) throws Exception {
        GanBackend backend = backendName.equals(ReferenceBackend.NAME)
                ? new ReferenceBackend()
                : Backends.discover().select(backendName);
        ClassifierSpec spec = ClassifierPresets.lenet(ImageShape.mnist(), 10);
        SplittableRandom rnd = new SplittableRandom(9);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (ParameterSpec p : spec.validate().parameters()) {
            float[] data = new float[p.size()];
            int fanIn = p.shape().length == 1 ? 1 : p.size() / p.shape()[p.shape().length - 1];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (rnd.nextDouble(-1, 1) * Math.sqrt(6.0 / fanIn));
            }
            weights.put(p.name(), new Tensor(p.shape(), data));
        }
        NamedTensors named = new NamedTensors(weights);
        IdxDataset mnist = Datasets.embeddedMnist();
        int size = 28 * 28;
        float[] pixels = new float[8 * size];
        int[] labels = new int[8];
        for (int i = 0; i < 8; i++) {
            mnist.readImage(i, pixels, i * size);
            labels[i] = mnist.label(i);
        }
        ImageBatch images = ImageBatch.nhwc(8, 28, 28, 1, pixels, labels);

        ClassifierOutput expected;
        try (ClassifierModel model = backend.createClassifier(spec, AdamConfig.acganDefaults(), named)) {
            expected = model.predict(images);
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put(OnnxExporter.INPUT_IMAGE, images.asTensor());
        Map<String, Tensor> onnx = OnnxRuntimeRunner.run(OnnxExporter.classifier(spec, named), inputs);
        assertArrayEquals(new int[] {8, 10}, onnx.get(OnnxExporter.OUTPUT_CLASS).shape());
        assertArrayEquals(
                new int[] {8, expected.featureLength()},
                onnx.get(OnnxExporter.OUTPUT_FEATURES).shape());
        double max = Math.max(
                ExportChecks.assertWithinOutputTolerance(
                        "class", "onnx", onnx.get(OnnxExporter.OUTPUT_CLASS).data(), expected.probabilities()),
                ExportChecks.assertWithinOutputTolerance(
                        "features",
                        "onnx",
                        onnx.get(OnnxExporter.OUTPUT_FEATURES).data(),
                        expected.features()));
        System.out.printf(Locale.ROOT, "lenet on %s: max |onnx - %s| = %.3g%n", backendName, backendName, max);
    }
}
