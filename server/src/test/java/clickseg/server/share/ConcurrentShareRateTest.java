package clickseg.server.share;

import clickseg.server.TestServer;
import clickseg.server.image.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue: the limit was checked before and recorded after the insert, so 60 concurrent creations all passed. */
class ConcurrentShareRateTest {

    @Test
    void sixty_concurrent_share_creations_from_one_address_make_exactly_twenty(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(data)) { // the default limit: 20 per minute
            String imageId = server.upload(TestImages.encode(TestImages.gradient(120, 90), "png"), "image/png");
            String body = ShareFixture.body(imageId, ShareFixture.modelId(server), "storm",
                    ShareFixture.rectangle(120, 90, 10, 10, 50, 40));
            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(server.uri("/api/shares"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                statuses.merge(answer.get().statusCode(), 1, Integer::sum);
            }
            assertEquals(Map.of(201, 20, 429, 40), statuses);
        }
    }
}
