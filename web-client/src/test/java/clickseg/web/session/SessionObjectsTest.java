package clickseg.web.session;

import clickseg.mask.BinaryMask;
import clickseg.prompt.Prompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several labelled objects in one session: each its own prompts, one undo log across them, labels and colours. */
class SessionObjectsTest {
    private static final int W = 400;
    private static final int H = 300;

    /** Records each commit's prompt and answers when the test says so. */
    private static final class Decoder implements Session.Decoder {
        final List<Prompt> prompts = new ArrayList<>();
        final List<float[]> maskInputs = new ArrayList<>();

        @Override
        public int commit(Prompt prompt, float[] maskInput) {
            prompts.add(prompt);
            maskInputs.add(maskInput);
            return prompts.size();
        }

        @Override
        public int hover(Prompt prompt) {
            return -1;
        }

        @Override
        public void cancelHover() {
        }
    }

    private final Decoder decoder = new Decoder();
    private final List<Session.Change> changes = new ArrayList<>();
    private final Session session = new Session(decoder, changes::add, false);

    private void readyImage() {
        session.startImage(W, H);
        session.decoderReady();
    }

    /** Low-resolution logits positive inside the cells [x0, x1) × [y0, y1) of the 256 grid (all four masks alike). */
    private static DecodedMasks squareMasks(int x0, int y0, int x1, int y1) {
        float[] logits = new float[DecodedMasks.MASKS * DecodedMasks.LOW_RES_AREA];
        Arrays.fill(logits, -10f);
        for (int m = 0; m < DecodedMasks.MASKS; m++) {
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    logits[m * DecodedMasks.LOW_RES_AREA + y * 256 + x] = 10f;
                }
            }
        }
        return new DecodedMasks(logits, new float[] {0.9f, 0.9f, 0.9f, 0.9f}, new float[] {1f, 1f, 1f, 1f}, 0);
    }

    /** Clicks at (x, y) and answers that click with a square mask around it. */
    private void clickAndAnswer(float x, float y) {
        session.click(x, y, false);
        int gx = (int) (x * 256 / W);
        int gy = (int) (y * 192 / H); // 400×300 fills 256×192 of the padded grid
        session.decoded(decoder.prompts.size(), squareMasks(gx - 10, gy - 10, gx + 10, gy + 10));
    }

    @Test
    void a_click_with_no_object_selected_starts_one_and_new_object_makes_the_next_clicks_edit_only_the_new_one() {
        readyImage();
        assertTrue(session.objects().isEmpty());
        assertNull(session.selected());

        clickAndAnswer(100, 100);
        assertEquals(1, session.objects().size());
        SegmentObject first = session.selected();
        assertNotNull(first);
        assertTrue(first.hasMask());

        session.newObject();
        SegmentObject second = session.selected();
        assertNotSame(first, second);
        assertEquals(2, session.objects().size());
        assertFalse(session.hasMask(), "a new object starts without a mask");
        assertNull(decoder.maskInputs.get(0));
        clickAndAnswer(300, 200);
        assertNull(decoder.maskInputs.get(1), "the new object's first click is not fed the other object's mask");
        assertEquals(1, decoder.prompts.get(1).pointCount(), "the new object's prompt holds only its own click");

        assertEquals(1, first.current().prompt.pointCount(), "the first object kept its prompt");
        assertTrue(session.maskOf(first).get(100, 100));
        assertFalse(session.maskOf(first).get(300, 200));
        assertTrue(session.maskOf(second).get(300, 200));
        assertNotEquals(first.colour, second.colour);
        assertNotEquals(first.id, second.id);
    }

    private static void assertNotSame(Object a, Object b) {
        assertFalse(a == b, "expected different objects");
    }

    @Test
    void undo_walks_back_across_objects_in_the_order_things_were_done_and_redo_replays_them() {
        readyImage();
        clickAndAnswer(100, 100);              // object 1: its creation and first click, one edit
        clickAndAnswer(110, 100);              // object 1: second click
        session.newObject();                   // object 2 created
        clickAndAnswer(300, 200);              // object 2: first click
        SegmentObject second = session.selected();

        session.undo();
        assertSame(second, session.selected());
        assertTrue(second.current().prompt.isEmpty(), "the second object's click is undone first");
        assertEquals(2, session.objects().size());

        session.undo();
        assertEquals(1, session.objects().size(), "then its creation");
        session.undo();
        SegmentObject first = session.objects().get(0);
        assertSame(first, session.selected(), "undo selects the object it changed");
        assertEquals(1, first.current().prompt.pointCount());

        session.undo();
        assertTrue(session.objects().isEmpty(), "the first click and the object it started go together");
        assertFalse(session.canUndo());

        session.redo();
        session.redo();
        session.redo();
        session.redo();
        assertFalse(session.canRedo());
        assertEquals(2, session.objects().size());
        assertSame(second, session.selected());
        assertEquals(1, second.current().prompt.pointCount());
        assertEquals(2, session.objects().get(0).current().prompt.pointCount());
    }

    @Test
    void a_deleted_object_comes_back_at_its_place_with_its_history_on_undo_and_goes_again_on_redo() {
        readyImage();
        clickAndAnswer(50, 50);
        session.newObject();
        clickAndAnswer(200, 150);
        session.newObject();
        clickAndAnswer(350, 250);
        SegmentObject middle = session.objects().get(1);
        session.delete(middle.id);
        assertEquals(2, session.objects().size());
        assertFalse(session.objects().contains(middle));

        session.undo();
        assertSame(middle, session.objects().get(1));
        assertSame(middle, session.selected());
        assertTrue(session.maskOf(middle).get(200, 150));
        session.undo();
        assertEquals(3, session.objects().size());
        assertTrue(session.objects().get(2).current().prompt.isEmpty(), "undo then went on into the last object's click");

        session.redo();
        session.redo();
        assertFalse(session.objects().contains(middle));
        assertSame(session.objects().get(1), session.selected(), "the last object whose click came back stays selected");
    }

    @Test
    void a_new_edit_after_undo_drops_the_redo_tail_of_every_object() {
        readyImage();
        clickAndAnswer(100, 100);
        session.newObject();
        clickAndAnswer(300, 200);
        session.undo();
        session.undo();
        assertTrue(session.canRedo());
        clickAndAnswer(120, 100); // object 1 is selected again: this refines it
        assertFalse(session.canRedo());
        assertEquals(1, session.objects().size());
        assertEquals(2, session.selected().current().prompt.pointCount());
    }

    @Test
    void labels_are_free_text_remembered_per_image_in_first_use_order_and_keys_one_to_nine_pick_them() {
        readyImage();
        clickAndAnswer(100, 100);
        session.rename(session.selected().id, "  sheep ");
        assertEquals("sheep", session.selected().label());
        session.newObject();
        clickAndAnswer(300, 200);
        session.rename(session.selected().id, "dog");
        session.newObject();
        clickAndAnswer(200, 50);
        assertEquals("Object 3", session.selected().displayName());
        assertTrue(session.labelFromRecent(1));
        assertEquals("sheep", session.selected().label());
        assertEquals(List.of("sheep", "dog"), session.recentLabels().all(), "using a label again does not move its key");
        assertFalse(session.labelFromRecent(7), "no seventh label yet");
        session.rename(session.selected().id, "SHEEP");
        assertEquals(List.of("sheep", "dog"), session.recentLabels().all(), "case does not make a new label");

        session.startImage(W, H);
        assertTrue(session.recentLabels().all().isEmpty(), "another image has its own labels");
    }

    @Test
    void tab_order_wraps_hidden_objects_stay_in_the_list_and_reorder_changes_the_order() {
        readyImage();
        clickAndAnswer(50, 50);
        session.newObject();
        clickAndAnswer(200, 150);
        session.newObject();
        clickAndAnswer(350, 250);
        List<SegmentObject> all = session.objects();
        session.finishObject();
        assertNull(session.selected());
        session.selectNext(1);
        assertSame(all.get(0), session.selected());
        session.selectNext(-1);
        assertSame(all.get(2), session.selected(), "previous from the first wraps to the last");
        session.setHidden(all.get(1).id, true);
        assertTrue(all.get(1).isHidden());
        assertEquals(3, session.snapshot().size());
        session.move(all.get(2).id, -1);
        assertSame(all.get(2), session.objects().get(1));
        assertTrue(changes.contains(Session.Change.OBJECTS));
    }

    @Test
    void a_mask_picked_from_everything_is_a_new_object_and_one_undo_removes_it() {
        readyImage();
        clickAndAnswer(100, 100);
        SegmentObject first = session.selected();
        BinaryMask picked = new BinaryMask(W, H);
        picked.set(300, 200, true);
        session.enterEverything();
        session.pickFromEverything(picked);
        assertEquals(2, session.objects().size());
        assertSame(picked, session.maskOf(session.selected()));
        assertEquals(1, first.current().prompt.pointCount(), "the object selected before keeps its mask");
        session.undo();
        assertEquals(1, session.objects().size());
    }

    @Test
    void a_snapshot_carries_each_masks_rle_encoded_once_and_again_only_when_the_mask_changes() {
        readyImage();
        clickAndAnswer(100, 100);
        String first = session.snapshot().get(0).maskCounts();
        assertEquals(clickseg.mask.RunLengthEncoding.encode(session.maskOf(session.selected())), first);
        assertSame(first, session.snapshot().get(0).maskCounts(), "kept, not encoded again");
        clickAndAnswer(120, 130);
        assertFalse(first.equals(session.snapshot().get(0).maskCounts()), "a new mask, new counts");
    }

    @Test
    void stored_objects_come_back_with_their_ids_labels_masks_and_colours_and_nothing_to_undo() {
        BinaryMask a = new BinaryMask(W, H);
        a.set(10, 10, true);
        BinaryMask b = new BinaryMask(W, H);
        b.set(20, 20, true);
        session.startObjects(W, H, List.of(
                new ObjectSnapshot(1, "sheep", Prompt.point(10, 10, Prompt.FOREGROUND), 2, a, false),
                new ObjectSnapshot(4, "dog", Prompt.empty(), -1, b, true)), Session.Mode.VIEWING_SHARE);
        session.decoderReady();
        assertEquals(2, session.objects().size());
        assertNull(session.selected(), "with several objects none is selected");
        assertFalse(session.canUndo());
        SegmentObject dog = session.objects().get(1);
        assertEquals("dog", dog.label());
        assertEquals(3, dog.colour);
        assertTrue(dog.isHidden());
        assertSame(b, session.maskOf(dog));
        session.newObject();
        assertEquals(5, session.selected().id, "new ids never reuse a stored one");
        assertEquals(List.of("sheep", "dog"), session.recentLabels().all());
    }
}
