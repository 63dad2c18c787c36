package clickseg.web.session;

import clickseg.prompt.Prompt;
import clickseg.mask.BinaryMask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page's session, specified on the JVM with a decoder that answers when the test says so. */
class SessionTest {
    private static final int W = 400;
    private static final int H = 300;

    /** A decoder stand-in: records what the session asks, answers later. */
    private static final class RecordingDecoder implements Session.Decoder {
        record Request(int id, Prompt prompt, float[] maskInput, boolean hover) {
        }

        final List<Request> requests = new ArrayList<>();
        int cancelledHovers;
        private int nextId = 1;

        @Override
        public int commit(Prompt prompt, float[] maskInput) {
            requests.add(new Request(nextId, prompt, maskInput, false));
            return nextId++;
        }

        @Override
        public int hover(Prompt prompt) {
            requests.add(new Request(nextId, prompt, null, true));
            return nextId++;
        }

        @Override
        public void cancelHover() {
            cancelledHovers++;
        }

        List<Request> commits() {
            return requests.stream().filter(r -> !r.hover()).toList();
        }

        Request last() {
            return requests.get(requests.size() - 1);
        }
    }

    private final RecordingDecoder decoder = new RecordingDecoder();
    private final List<Session.Change> changes = new ArrayList<>();
    private final Session session = new Session(decoder, changes::add, false);

    private void readyImage() {
        session.startImage(W, H);
        session.decoderReady();
    }

    /**
     * Masks whose every logit of mask m is {@code fill + m}, with SAM's predicted IoU highest for mask 1
     * (a tile); mask 2 and 3 cover the whole image, so the first-click rule may pick differently.
     */
    private static DecodedMasks masks(float fill) {
        float[] logits = new float[DecodedMasks.MASKS * DecodedMasks.LOW_RES_AREA];
        for (int m = 0; m < DecodedMasks.MASKS; m++) {
            Arrays.fill(logits, m * DecodedMasks.LOW_RES_AREA, (m + 1) * DecodedMasks.LOW_RES_AREA, fill + m);
        }
        return new DecodedMasks(logits, new float[] {0.5f, 0.9f, 0.8f, 0.7f}, new float[] {1f, 1f, 1f, 1f}, 0);
    }

    private void answerLast(float fill) {
        session.decoded(decoder.last().id(), masks(fill));
    }

    @Test
    void clicks_decode_one_at_a_time_in_order_each_fed_the_chosen_mask_of_the_step_before() {
        readyImage();
        session.click(100, 100, false);
        session.click(200, 150, false); // before the first answer
        assertEquals(1, decoder.commits().size(), "the second click waits for the mask it refines");
        assertNull(decoder.commits().get(0).maskInput(), "the first click has nothing to refine");
        assertTrue(session.isBusy());

        session.decoded(decoder.commits().get(0).id(), masks(10));
        assertEquals(2, decoder.commits().size());
        RecordingDecoder.Request second = decoder.commits().get(1);
        assertEquals(2, second.prompt().pointCount());
        int firstChosen = session.current().maskSource.result().chosen();
        assertEquals(10f + firstChosen, second.maskInput()[0], "fed the first step's chosen mask");

        session.decoded(second.id(), masks(20));
        assertFalse(session.isBusy());
        assertEquals(0, session.currentMasks().chosen(), "two clicks take the single-mask output");
    }

    @Test
    void a_candidate_chosen_before_the_next_click_is_the_mask_that_click_refines() {
        readyImage();
        session.click(100, 100, false);
        answerLast(10);
        assertTrue(session.offersCandidates());
        session.choose(3);
        session.click(150, 120, true);
        assertEquals(13f, decoder.last().maskInput()[0]);
        assertEquals(Prompt.BACKGROUND, decoder.last().prompt().pointLabel(1));
    }

    @Test
    void a_lone_click_shows_the_candidate_the_shared_first_click_rule_picks_not_the_best_predicted_iou() {
        readyImage();
        session.click(200, 150, false);
        DecodedMasks answer = masks(-1.5f); // masks 2 and 3 cover the whole image, mask 1 nothing
        session.decoded(decoder.last().id(), answer);
        // SAM would show mask 1 (IoU 0.9); the click is not inside it, so its centrality is 0.
        assertEquals(2, session.currentMasks().chosen());
    }

    @Test
    void undo_and_redo_walk_back_and_forth_across_clicks_a_box_and_a_clear_keeping_each_steps_mask() {
        readyImage();
        session.click(100, 100, false);
        answerLast(10);
        session.choose(2);
        session.box(50, 50, 250, 200);
        answerLast(20);
        HistoryEntry boxed = session.current();
        assertTrue(boxed.prompt.hasBox());
        session.clear();
        assertFalse(session.hasMask());
        assertFalse(session.canClear());

        session.undo();
        assertSame(boxed, session.current());
        session.undo();
        assertEquals(1, session.current().prompt.pointCount());
        assertEquals(2, session.currentMasks().chosen(), "the chosen candidate is remembered");
        session.undo();
        assertTrue(session.current().prompt.isEmpty());
        assertFalse(session.canUndo());
        session.redo();
        session.redo();
        assertSame(boxed, session.current());
        assertEquals(2, decoder.commits().size(), "undo and redo decode nothing again");
    }

    @Test
    void a_newer_hover_replaces_an_older_one_and_a_late_answer_never_hides_a_newer_one() {
        readyImage();
        session.hoverAt(10, 10);
        int first = decoder.last().id();
        session.hoverAt(20, 20);
        int second = decoder.last().id();
        session.decoded(second, masks(1));
        DecodedMasks shown = session.hoverMasks();
        assertNotNull(shown);
        session.decoded(first, masks(2));
        assertSame(shown, session.hoverMasks(), "the older probe's answer came too late");

        session.click(20, 20, false);
        assertNull(session.hoverMasks(), "a click ends the preview");
        assertTrue(decoder.cancelledHovers > 0, "and the decoder drops a probe still waiting");
        session.hoverAt(30, 30);
        assertTrue(decoder.last().hover() == false, "no preview once there is a prompt");
    }

    @Test
    void a_share_view_starts_with_the_authors_mask_and_nothing_to_undo_or_clear() {
        BinaryMask authorMask = new BinaryMask(W, H);
        authorMask.set(10, 10, true);
        Prompt authorPrompt = Prompt.empty().withPoint(10, 10, Prompt.FOREGROUND);
        session.startShare(W, H, authorPrompt, authorMask);
        session.decoderReady();
        assertEquals(Session.Mode.VIEWING_SHARE, session.mode());
        assertSame(authorMask, session.currentFixedMask());
        assertTrue(session.hasMask());
        assertFalse(session.canUndo());
        assertFalse(session.canClear());
        assertTrue(decoder.commits().isEmpty(), "the author's mask is shown as stored, not decoded");

        session.click(50, 60, false);
        assertEquals(Session.Mode.PROMPTING, session.mode());
        assertEquals(2, decoder.last().prompt().pointCount(), "the viewer's click adds to the author's prompt");
        assertTrue(session.canUndo());
        session.undo();
        assertSame(authorMask, session.currentFixedMask(), "undo goes back to the author's mask");
    }

    @Test
    void a_mask_picked_from_everything_becomes_an_undoable_step_and_the_next_click_refines_its_box() {
        readyImage();
        session.click(100, 100, false);
        answerLast(10);
        session.hoverAt(1, 1); // no preview with a prompt; entering everything must not leave one either
        session.enterEverything();
        assertEquals(Session.Mode.PICKING_FROM_EVERYTHING, session.mode());
        assertFalse(session.canUndo(), "the everything view is not a step");
        session.click(5, 5, false);
        assertEquals(1, decoder.commits().size(), "clicks pick, they do not prompt");

        BinaryMask picked = new BinaryMask(W, H);
        for (int y = 40; y < 80; y++) {
            for (int x = 30; x < 90; x++) {
                picked.set(x, y, true);
            }
        }
        session.pickFromEverything(picked);
        assertEquals(Session.Mode.PROMPTING, session.mode());
        assertSame(picked, session.currentFixedMask());
        assertTrue(session.canClear());

        session.click(60, 60, false);
        Prompt refined = decoder.last().prompt();
        assertArrayEquals(new float[] {30, 40, 90, 80}, refined.box());
        assertEquals(1, refined.pointCount());
        assertNull(decoder.last().maskInput());

        session.undo();
        assertSame(picked, session.currentFixedMask());
        session.clear();
        assertFalse(session.hasMask(), "clear removes a picked mask too");
    }

    @Test
    void a_new_image_forgets_the_previous_images_steps_queue_and_preview() {
        readyImage();
        session.click(100, 100, false);
        session.click(120, 100, false);
        session.startImage(640, 480);
        assertFalse(session.isDecoderReady());
        assertFalse(session.canUndo());
        assertFalse(session.isBusy());
        session.decoded(decoder.commits().get(0).id(), masks(1));
        assertFalse(session.hasMask(), "an answer for the old image is ignored");
        assertEquals(640, session.transform().originalWidth());
        session.click(10, 10, false);
        assertEquals(1, decoder.commits().size(), "nothing goes to the decoder before it has the new image");
        session.decoderReady();
        session.click(10, 10, false);
        assertEquals(2, decoder.commits().size());
        assertNull(decoder.last().maskInput(), "the old image's masks are never fed back");
    }

    @Test
    void the_embed_starts_in_embedded_mode_and_a_whole_prompt_is_one_step_not_fed_the_old_mask() {
        Session embedded = new Session(decoder, changes::add, true);
        embedded.startImage(W, H);
        embedded.decoderReady();
        assertEquals(Session.Mode.EMBEDDED, embedded.mode());
        embedded.click(100, 100, false);
        embedded.decoded(decoder.last().id(), masks(10));
        embedded.replacePrompt(Prompt.empty().withPoint(5, 5, Prompt.FOREGROUND).withPoint(9, 9,
                Prompt.BACKGROUND));
        assertNull(decoder.last().maskInput());
        embedded.undo();
        assertEquals(1, embedded.current().prompt.pointCount());
    }

    @Test
    void the_listener_hears_each_kind_of_change() {
        readyImage();
        changes.clear();
        session.click(100, 100, false);
        assertTrue(changes.contains(Session.Change.STEP));
        assertTrue(changes.contains(Session.Change.BUSY));
        changes.clear();
        answerLast(1);
        assertTrue(changes.contains(Session.Change.STEP));
        changes.clear();
        session.enterEverything();
        assertTrue(changes.contains(Session.Change.MODE));
    }
}
