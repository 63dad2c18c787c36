package clickseg.server.share;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import clickseg.server.TestServer;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** What the share tests build shares from: a rectangle mask on an uploaded image, and the HTTP verbs TestServer lacks. */
final class ShareFixture {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ShareFixture() {
    }

    /** A filled rectangle [x0, x1) × [y0, y1) on a width × height image. */
    static BinaryMask rectangle(int width, int height, int x0, int y0, int x1, int y1) {
        BinaryMask mask = new BinaryMask(width, height);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                mask.set(x, y, true);
            }
        }
        return mask;
    }

    /** A POST /api/shares body; {@code title} is put in as a JSON string as given (null for none). */
    static String body(String imageId, String modelId, String title, BinaryMask mask) {
        JsonObject json = new JsonObject();
        json.addProperty("imageId", imageId);
        json.addProperty("modelId", modelId);
        if (title != null) {
            json.addProperty("title", title);
        }
        JsonObject prompts = new JsonObject();
        prompts.add("points", com.google.gson.JsonParser.parseString("[[40.5, 30.0], [10, 10]]"));
        prompts.add("labels", com.google.gson.JsonParser.parseString("[1, 0]"));
        prompts.add("box", null);
        prompts.addProperty("maskIndex", 2);
        json.add("prompts", prompts);
        JsonObject rle = new JsonObject();
        rle.add("size", com.google.gson.JsonParser.parseString("[" + mask.height() + ", " + mask.width() + "]"));
        rle.addProperty("counts", RunLengthEncoding.encode(mask));
        json.add("mask", rle);
        return json.toString();
    }

    static String modelId(TestServer server) throws IOException, InterruptedException {
        return TestServer.json(server.get("/api/models")).getAsJsonArray("models").get(0).getAsJsonObject()
                .get("id").getAsString();
    }

    static HttpResponse<byte[]> delete(TestServer server, String path, String secret)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).DELETE();
        if (secret != null) {
            request.header("X-Delete-Secret", secret);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
