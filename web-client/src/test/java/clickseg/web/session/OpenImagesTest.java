package clickseg.web.session;

import clickseg.mask.BinaryMask;
import clickseg.prompt.Prompt;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The open images: files wait their turn in order, each keeps its objects, one entry per image. */
class OpenImagesTest {
    @Test
    void files_upload_in_the_order_chosen_and_each_image_keeps_the_objects_it_was_left_with() {
        OpenImages images = new OpenImages();
        OpenImages.Entry first = images.add("a.jpg");
        OpenImages.Entry second = images.add("b.jpg");
        assertSame(first, images.nextQueued());
        first.uploading(40);
        assertEquals(OpenImages.State.UPLOADING, first.state());
        assertSame(second, images.nextQueued(), "the one uploading is no longer waiting");
        first.uploading(100);
        assertEquals(OpenImages.State.ENCODING, first.state(), "all bytes sent: the server is encoding");
        first.ready("id-a", 40, 30);
        second.failed("not an image");
        assertNull(images.nextQueued());
        assertEquals(1, images.readyCount());
        assertSame(first, images.byImageId("id-a"));

        BinaryMask mask = new BinaryMask(40, 30);
        mask.set(1, 1, true);
        first.keepObjects(List.of(new ObjectSnapshot(1, "dog", Prompt.empty(), -1, mask, false)));
        assertEquals("dog", images.byImageId("id-a").objects().get(0).label());
        assertSame(first, images.addReady("id-a", "again.jpg", 40, 30), "the same image opened again is one entry");
        assertEquals(2, images.all().size());
    }
}
