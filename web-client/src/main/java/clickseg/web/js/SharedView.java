package clickseg.web.js;

import clickseg.mask.BinaryMask;
import clickseg.web.session.ObjectSnapshot;
import clickseg.web.session.ObjectsJson;
import java.util.List;
import clickseg.mask.RunLengthEncoding;
import clickseg.prompt.PromptJson;
import clickseg.prompt.Prompt;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;

/**
 * Opening a share link (/s/{id}): the server renders the app's page with
 * {@code <meta name="clickseg-share" content="{id}">}; this reads the share, shows the image
 * with the author's mask as soon as the image has loaded (drawn from the stored RLE, before any
 * embedding or decoder), then lets the page load the embedding as for any stored image. The
 * viewer's clicks continue from the author's prompt; nothing they do changes the share.
 */
final class SharedView {
    private final PageController page;
    private final String shareId;

    SharedView(PageController page, String shareId) {
        this.page = page;
        this.shareId = shareId;
    }

    /** The share this page was served for, or null on the plain app page. */
    @JSBody(script = "var shareMeta = document.querySelector('meta[name=\"clickseg-share\"]');"
            + " return shareMeta ? shareMeta.getAttribute('content') : null;")
    static native String shareIdOfPage();

    /** Turns a share's address (/s/{id}) back into the app's (/), keeping nothing of the share. */
    @JSBody(script = "if (location.pathname.indexOf('/s/') === 0) { history.replaceState(null, '', '/'); }")
    static native void leaveShareAddress();

    void open() {
        Browser.setAttribute(Browser.byId("viewer"), "data-shared", "loading");
        Browser.fetchText("/api/shares/" + shareId, (status, body) -> {
            if (status == 404) {
                page.sharedFailed("This share is gone: its author deleted it, or the link is wrong.");
                return;
            }
            if (status != 200) {
                page.sharedFailed("The share could not be opened (HTTP " + status + ").");
                return;
            }
            SharedSegmentation shared;
            try {
                shared = parse(Browser.parseJson(body));
            } catch (RuntimeException malformed) {
                Browser.logError("share: " + malformed.getMessage());
                page.sharedFailed("The server's description of this share was not understood.");
                return;
            }
            Browser.setText(Browser.byId("shared-title"), shared.title == null ? "" : shared.title);
            Browser.loadImage(shared.imageUrl, image -> page.showSharedPreview(image, shared),
                    (failure, message) -> page.sharedFailed("The shared image could not be shown by this browser."));
            page.openShared(shared);
        });
    }

    private SharedSegmentation parse(JSObject share) {
        if (share == null || !Browser.has(share, "imageId") || !Browser.has(share, "mask")) {
            throw new IllegalArgumentException("no imageId or mask");
        }
        int width = (int) Browser.number(share, "imageWidth");
        int height = (int) Browser.number(share, "imageHeight");
        BinaryMask mask = RunLengthEncoding.decode(Browser.string(Browser.object(share, "mask"), "counts"), width, height);
        JSObject prompts = Browser.object(share, "prompts");
        // shared's codec, as the server read it when the share was made
        Prompt prompt = prompts == null ? Prompt.empty()
                : PromptJson.read(Browser.stringify(prompts));
        String title = Browser.has(share, "title") ? Browser.string(share, "title") : null;
        // Every object with its label; a server from before objects sends none: the one mask is the object.
        List<ObjectSnapshot> objects = Browser.has(share, "objects")
                ? ObjectsJson.read(Browser.stringify(Browser.object(share, "objects")), width, height)
                : List.of(new ObjectSnapshot(1, "", prompt, -1, mask, false));
        return new SharedSegmentation(shareId, Browser.string(share, "imageId"), title, width, height, prompt, mask,
                Browser.string(share, "image"), objects);
    }
}
