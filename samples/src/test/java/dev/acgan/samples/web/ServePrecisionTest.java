package dev.acgan.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code acgan serve --precision bf16}: a training on a backend without bf16 is refused before it starts. */
class ServePrecisionTest {

    @Test
    void aTrainingOnABackendWithoutBf16IsA400() throws Exception {
        GanBackend tensorflow = Backends.discover().select("tensorflow");
        Assumptions.assumeTrue(
                tensorflow.precisionUnavailable(Precision.BF16).isEmpty(),
                () -> "bf16 unavailable here: "
                        + tensorflow.precisionUnavailable(Precision.BF16).orElse(""));
        try (WebServer server = WebModule.server(new ServeOptions(
                        "127.0.0.1",
                        0,
                        WebFixture.trainedRun(),
                        "tensorflow",
                        WebFixture.root().resolve("bf16-runs"),
                        Precision.BF16))
                .start()) {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            HttpResponse<byte[]> r = http.send(
                    HttpRequest.newBuilder(server.url().resolve("/api/train/start"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"backend\":\"nd4j\",\"steps\":1}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = WebApiTest.JSON.readTree(new String(r.body(), StandardCharsets.UTF_8));
            assertEquals(400, r.statusCode(), body::toString);
            assertTrue(
                    body.get("error").asText().startsWith("precision bf16 is not available on backend nd4j"),
                    body::toString);
            assertEquals(false, server.training().status().get("active"), "nothing started");
        }
    }
}
