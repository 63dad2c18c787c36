package clickseg.server.everything;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import clickseg.server.image.TestImages;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Segment everything" through the HTTP API against one real server with the real model. The shape
 * picture is uploaded (and so encoded) once per class; grids are small (12×12) to keep the decoder work
 * to seconds.
 */
class EverythingApiTest {
    @TempDir
    static Path data;
    static EverythingTestServer server;
    static String shapesId;

    @BeforeAll
    static void start() throws Exception {
        server = EverythingTestServer.start(data);
        shapesId = server.upload(TestImages.encode(ShapePicture.image(), "png"), "image/png");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void each_separated_shape_gets_exactly_one_mask_and_the_flat_background_none() throws Exception {
        HttpResponse<byte[]> response = server.postJson("/api/images/" + shapesId + "/everything", "{\"pointsPerSide\": 12}");
        assertEquals(200, response.statusCode(), EverythingTestServer.text(response));
        JsonObject body = EverythingTestServer.json(response);
        JsonArray masks = body.getAsJsonArray("masks");
        System.out.println(body.get("timing"));
        for (JsonElement e : masks) {
            JsonObject m = e.getAsJsonObject();
            BinaryMask mask = decode(m);
            StringBuilder ious = new StringBuilder();
            for (int s = 0; s < ShapePicture.SHAPES.size(); s++) {
                ious.append(String.format(" %.3f", iou(mask.pixels(), ShapePicture.truth(s))));
            }
            System.out.println(m.get("bbox") + " area " + m.get("area") + " iou " + m.get("predicted_iou") + " stab "
                    + m.get("stability_score") + " point " + m.get("point_coords") + " vs shapes" + ious);
        }
    }

    static BinaryMask decode(JsonObject mask) {
        JsonObject segmentation = mask.getAsJsonObject("segmentation");
        JsonArray size = segmentation.getAsJsonArray("size");
        return RunLengthEncoding.decode(segmentation.get("counts").getAsString(), size.get(1).getAsInt(),
                size.get(0).getAsInt());
    }

    static double iou(byte[] a, byte[] b) {
        long intersection = 0;
        long union = 0;
        for (int i = 0; i < a.length; i++) {
            boolean x = a[i] != 0;
            boolean y = b[i] != 0;
            intersection += x && y ? 1 : 0;
            union += x || y ? 1 : 0;
        }
        return union == 0 ? 0 : (double) intersection / union;
    }
}
