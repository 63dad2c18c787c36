package clickseg.web.session;

import clickseg.mask.BinaryMask;
import clickseg.prompt.Prompt;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The objects' JSON form (shares, the browser's storage): written and read back whole; broken text refused. */
class ObjectsJsonTest {
    private static BinaryMask square(int w, int h, int x0, int y0, int size) {
        BinaryMask mask = new BinaryMask(w, h);
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                mask.set(x, y, true);
            }
        }
        return mask;
    }

    @Test
    void objects_with_labels_prompts_masks_and_visibility_come_back_as_they_were_written() {
        BinaryMask a = square(40, 30, 2, 3, 5);
        BinaryMask b = square(40, 30, 20, 10, 8);
        List<ObjectSnapshot> written = List.of(
                new ObjectSnapshot(1, "dog \"Rex\" \\ ü", Prompt.point(4, 5, Prompt.FOREGROUND)
                        .withPoint(30, 20, Prompt.BACKGROUND), 2, a, false),
                new ObjectSnapshot(7, "", Prompt.empty().withBox(19, 9, 29, 19), -1, b, true));
        List<ObjectSnapshot> read = ObjectsJson.read(ObjectsJson.write(written), 40, 30);
        assertEquals(2, read.size());
        assertEquals("dog \"Rex\" \\ ü", read.get(0).label());
        assertEquals(2, read.get(0).maskIndex());
        assertEquals(2, read.get(0).prompt().pointCount());
        assertEquals(Prompt.BACKGROUND, read.get(0).prompt().pointLabel(1));
        assertArrayEquals(a.pixels(), read.get(0).mask().pixels());
        assertEquals(7, read.get(1).id());
        assertTrue(read.get(1).hidden());
        assertEquals(-1, read.get(1).maskIndex());
        assertArrayEquals(new float[] {19, 9, 29, 19}, read.get(1).prompt().box());
        assertArrayEquals(b.pixels(), read.get(1).mask().pixels());
    }

    @Test
    void a_share_leaves_visibility_out() {
        String json = ObjectsJson.writeForShare(List.of(new ObjectSnapshot(1, "a", Prompt.empty(), -1,
                square(4, 4, 0, 0, 2), true)));
        assertFalse(json.contains("hidden"), json);
        assertFalse(ObjectsJson.read(json, 4, 4).get(0).hidden());
    }

    @Test
    void broken_objects_are_refused_naming_the_element() {
        String wrongSize = ObjectsJson.write(List.of(new ObjectSnapshot(1, "a", Prompt.empty(), -1,
                square(4, 4, 0, 0, 2), false)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjectsJson.read(wrongSize, 5, 4));
        assertTrue(e.getMessage().startsWith("objects[0].mask.counts"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ObjectsJson.read("{}", 4, 4));
        assertThrows(IllegalArgumentException.class, () -> ObjectsJson.read("[{\"id\": 0, \"mask\": {}}]", 4, 4));
        assertThrows(IllegalArgumentException.class, () -> ObjectsJson.read("[{\"id\": 1}]", 4, 4));
        assertThrows(IllegalArgumentException.class, () -> ObjectsJson.read("[", 4, 4));
    }
}
