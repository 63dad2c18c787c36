package clickseg.server.share;

import clickseg.export.ObjectColours;
import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import clickseg.server.TestServer;
import clickseg.server.image.TestImages;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shares of several labelled objects: stored whole, read back whole, drawn in their colours; old shares still open. */
class ShareObjectsTest {
    private static final int WIDTH = 160;
    private static final int HEIGHT = 120;

    @TempDir
    static Path data;
    static TestServer server;
    static String imageId;
    static String modelId;
    static BinaryMask left;
    static BinaryMask right;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data, Map.of(), "--share-rate", "1000");
        // A flat grey photo: any tint in the preview is the overlay's.
        BufferedImage grey = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                grey.setRGB(x, y, 0x808080);
            }
        }
        imageId = server.upload(TestImages.encode(grey, "png"), "image/png");
        modelId = ShareFixture.modelId(server);
        left = ShareFixture.rectangle(WIDTH, HEIGHT, 10, 20, 60, 90);
        right = ShareFixture.rectangle(WIDTH, HEIGHT, 90, 30, 150, 100);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonObject object(int id, String label, BinaryMask mask) {
        JsonObject object = new JsonObject();
        object.addProperty("id", id);
        object.addProperty("label", label);
        object.add("prompts", JsonParser.parseString("{\"points\": [[30, 50]], \"labels\": [1], \"box\": null, \"maskIndex\": 1}"));
        JsonObject rle = new JsonObject();
        rle.add("size", JsonParser.parseString("[" + HEIGHT + ", " + WIDTH + "]"));
        rle.addProperty("counts", RunLengthEncoding.encode(mask));
        object.add("mask", rle);
        return object;
    }

    private static String twoObjects() {
        JsonObject body = JsonParser.parseString(ShareFixture.body(imageId, modelId, "two", left)).getAsJsonObject();
        JsonArray objects = new JsonArray();
        objects.add(object(1, "dog", left));
        objects.add(object(3, "cat \"Tom\"", right));
        body.add("objects", objects);
        return body.toString();
    }

    @Test
    void a_share_of_two_labelled_objects_reads_back_every_object_and_its_preview_draws_each_in_its_colour()
            throws Exception {
        HttpResponse<byte[]> created = server.postJson("/api/shares", twoObjects());
        assertEquals(201, created.statusCode(), TestServer.text(created));
        String id = TestServer.json(created).get("id").getAsString();

        JsonObject share = TestServer.json(server.get("/api/shares/" + id));
        JsonArray objects = share.getAsJsonArray("objects");
        assertEquals(2, objects.size());
        assertEquals("dog", objects.get(0).getAsJsonObject().get("label").getAsString());
        assertEquals(3, objects.get(1).getAsJsonObject().get("id").getAsInt());
        assertEquals("cat \"Tom\"", objects.get(1).getAsJsonObject().get("label").getAsString());
        JsonObject mask = objects.get(1).getAsJsonObject().getAsJsonObject("mask");
        assertEquals("[" + HEIGHT + "," + WIDTH + "]", mask.get("size").toString());
        assertEquals(RunLengthEncoding.encode(right), mask.get("counts").getAsString());
        assertEquals(1, objects.get(0).getAsJsonObject().getAsJsonObject("prompts").get("maskIndex").getAsInt());
        assertEquals(RunLengthEncoding.encode(left), share.getAsJsonObject("mask").get("counts").getAsString(),
                "the top-level mask is still there for readers that know one object");

        BufferedImage preview = ImageIO.read(new ByteArrayInputStream(server.get("/s/" + id + "/preview.png").body()));
        assertTinted(preview.getRGB(35, 55), ObjectColours.forIndex(0), "the first object, id 1");
        assertTinted(preview.getRGB(120, 65), ObjectColours.forIndex(2), "the second object, id 3");
        assertEquals(0x808080, preview.getRGB(75, 10) & 0xffffff, "outside every mask the photo is untouched");

        String page = TestServer.text(server.get("/s/" + id));
        assertTrue(page.contains("content=\"2 objects: dog, cat &quot;Tom&quot;. "), "the link preview names the labels");
    }

    /** Half the tint over grey: each channel moves from 128 halfway to the colour's. */
    private static void assertTinted(int argb, int rgb, String what) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int expected = Math.round(128 * 0.5f + ((rgb >> shift) & 0xff) * 0.5f);
            int actual = (argb >> shift) & 0xff;
            assertTrue(Math.abs(expected - actual) <= 2, what + ": channel at bit " + shift + " is " + actual
                    + ", expected about " + expected);
        }
    }

    @Test
    void a_share_without_objects_reads_back_as_one_unlabelled_object() throws Exception {
        HttpResponse<byte[]> created = server.postJson("/api/shares", ShareFixture.body(imageId, modelId, null, left));
        assertEquals(201, created.statusCode(), TestServer.text(created));
        JsonObject share = TestServer.json(server.get("/api/shares/" + TestServer.json(created).get("id").getAsString()));
        JsonArray objects = share.getAsJsonArray("objects");
        assertEquals(1, objects.size());
        assertEquals(1, objects.get(0).getAsJsonObject().get("id").getAsInt());
        assertEquals("", objects.get(0).getAsJsonObject().get("label").getAsString());
        assertEquals(share.get("prompts"), objects.get(0).getAsJsonObject().get("prompts"));
    }

    @Test
    void broken_objects_get_a_400_naming_the_object_and_field() throws Exception {
        String good = twoObjects();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(good.replace("\"objects\":[", "\"objects\":[5,"), "objects[0]");
        expected.put(good.replace("\"id\":3", "\"id\":1"), "objects[1].id");
        expected.put(good.replace("\"id\":3", "\"id\":-3"), "objects[1].id");
        expected.put(good.replace("\"label\":\"dog\"", "\"label\":\"two\\nlines\""), "objects[0].label");
        expected.put(good.replace("\"label\":\"dog\"", "\"label\":\"" + "x".repeat(101) + "\""), "objects[0].label");
        expected.put(good.replace("\"label\":\"dog\"", "\"label\":\"dog\",\"colour\":1"), "objects[0].colour");
        expected.put(good.replaceFirst("\"objects\":\\[.*\\]}$", "\"objects\":[]}"), "objects");
        expected.put(good.replace("\"maskIndex\":1", "\"maskIndex\":7"), "objects[0].prompts.maskIndex");
        expected.put(good.replace("[[30,50]]", "[[3000,50]]"), "objects[0].prompts");
        int last = good.lastIndexOf("\"counts\":\"");
        expected.put(good.substring(0, last) + "\"counts\":\"" + RunLengthEncoding.encode(new BinaryMask(WIDTH, HEIGHT))
                + good.substring(good.indexOf('"', last + 10)), "objects[1].mask.counts");
        for (Map.Entry<String, String> test : expected.entrySet()) {
            HttpResponse<byte[]> answer = server.postJson("/api/shares", test.getKey());
            assertEquals(400, answer.statusCode(), test.getValue() + " -> " + TestServer.text(answer));
            String message = TestServer.json(answer).get("message").getAsString();
            assertTrue(message.startsWith(test.getValue()), test.getValue() + ": " + message);
        }
    }

    @Test
    void a_database_from_before_objects_is_migrated_and_its_shares_open_as_one_object(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("shares.db");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            statement.execute("INSERT INTO schema_version (version) VALUES (1)");
            for (String sql : ShareMigrations.ALL.get(0).statements()) {
                statement.execute(sql);
            }
            statement.execute("INSERT INTO shares (id, image_id, model_id, title, prompts, image_width, image_height,"
                    + " mask_counts, secret_sha256, created_at) VALUES ('AAAAAAAAAAAAAAAAAAAAAA', '" + "a".repeat(64)
                    + "', 'm', NULL, '{\"points\":[]}', 4, 3, 'abc', '" + "0".repeat(64) + "', 1)");
        }
        try (SqliteShareStore store = SqliteShareStore.open(file)) {
            Share old = store.find("AAAAAAAAAAAAAAAAAAAAAA");
            assertEquals("abc", old.maskCounts());
            assertNull(old.objectsJson());
            assertEquals(1, ShareRoutes.objectsOf(old).size());
        }
    }
}
