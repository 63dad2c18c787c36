package clickseg.server;

import clickseg.server.image.TestImages;
import clickseg.server.model.ModelFetcher;
import clickseg.server.model.ModelFiles;
import clickseg.server.model.ModelManifest;
import clickseg.wire.EmbeddingCodec;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user-supplied SAM v1 export loads through a hand-written manifest (no npm source, paths relative to the
 * manifest). The default model's files stand in for the user's export; the manifest gives it its own id.
 */
class UserManifestTest {

    @Test
    void the_server_encodes_with_a_model_described_by_a_hand_written_manifest(@TempDir Path modelDir, @TempDir Path data)
            throws Exception {
        ModelFiles shared = new ModelFetcher(ModelFetcher.defaultCacheRoot(System.getenv()), List.of("npm"))
                .ensureAvailable(ModelManifest.loadDefault());
        Files.createDirectories(modelDir.resolve("onnx"));
        Files.createSymbolicLink(modelDir.resolve("onnx/my_encoder.onnx"), shared.encoder());
        Files.createSymbolicLink(modelDir.resolve("onnx/my_decoder.onnx"), shared.decoder());
        Path manifest = modelDir.resolve("my-sam.json");
        Files.writeString(manifest, """
                {
                  "id": "my-mobilesam",
                  "name": "a user's MobileSAM export",
                  "encoder": { "file": "onnx/my_encoder.onnx",
                               "inputs": { "image": "input" }, "outputs": { "imageEmbeddings": "output" } },
                  "decoder": { "file": "onnx/my_decoder.onnx",
                               "inputs": { "imageEmbeddings": "image_embeddings", "pointCoords": "point_coords",
                                           "pointLabels": "point_labels", "maskInput": "mask_input",
                                           "hasMaskInput": "has_mask_input", "origImSize": "orig_im_size" },
                               "outputs": { "masks": "masks", "iouPredictions": "iou_predictions",
                                            "lowResMasks": "low_res_masks" } },
                  "preprocessing": { "longestSide": 1024, "pixelMean": [123.675, 116.28, 103.53],
                                     "pixelStd": [58.395, 57.12, 57.375] },
                  "embeddingShape": [1, 256, 64, 64]
                }
                """);
        try (TestServer server = TestServer.start(data, Map.of("CLICKSEG_MODEL", manifest.toString()))) {
            JsonObject model = TestServer.json(server.get("/api/models")).getAsJsonArray("models").get(0).getAsJsonObject();
            assertEquals("my-mobilesam", model.get("id").getAsString());
            JsonObject upload = TestServer.json(server.postRaw(TestImages.encode(TestImages.gradient(90, 60), "png"), "image/png"));
            assertEquals("my-mobilesam", upload.get("model").getAsString());
            byte[] container = server.get(upload.get("embedding").getAsString()).body();
            assertEquals("my-mobilesam", EmbeddingCodec.decode(container).modelId());
            assertTrue(Files.exists(data.resolve("embeddings/my-mobilesam/" + upload.get("id").getAsString())),
                    "embeddings are stored per model");
        }
    }
}
