package clickseg.web.js;

import clickseg.mask.BinaryMask;
import clickseg.prompt.PromptJson;
import clickseg.mask.RunLengthEncoding;
import clickseg.prompt.Prompt;
import clickseg.web.session.ObjectSnapshot;
import clickseg.web.session.ObjectsJson;
import java.util.List;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;

/**
 * The Share dialog: an optional title, then POST /api/shares with the current image, every object
 * (label, prompt, mask as COCO RLE; the current one also as the top-level prompt and mask), then the share link and the secret delete link, each with a Copy button.
 * What is sent is a snapshot taken when the dialog opens; later clicks do not change it.
 */
final class ShareDialog {
    private final JSObject dialog = Browser.byId("share-dialog");
    private final JSObject titleInput = Browser.byId("share-title");
    private final JSObject createButton = Browser.byId("share-create");
    private final JSObject result = Browser.byId("share-result");
    private final JSObject urlInput = Browser.byId("share-url");
    private final JSObject deleteInput = Browser.byId("share-delete-url");
    private final JSObject status = Browser.byId("share-status");
    private String body; // the request, without its title, as a JSON object text missing its closing brace
    private boolean creating;

    ShareDialog() {
        Browser.listen(createButton, "click", event -> create());
        Browser.listen(Browser.byId("share-close"), "click", event -> close());
        Browser.listen(Browser.byId("share-copy-url"), "click", event -> copy(urlInput, "share-copy-url"));
        Browser.listen(Browser.byId("share-copy-delete"), "click", event -> copy(deleteInput, "share-copy-delete"));
        // Keys typed here are the dialog's: Escape closes it, and the page's shortcuts (Escape
        // clears, Ctrl+Z undoes) must not act on the image behind it.
        Browser.listen(dialog, "keydown", event -> {
            stopPropagation(event);
            String key = Browser.string(event, "key");
            if ("Escape".equals(key)) {
                close();
            } else if ("Enter".equals(key) && Browser.flag(result, "hidden")) {
                create();
            }
        });
    }

    /**
     * Opens the dialog for the mask on screen.
     *
     * @param maskIndex the decoder output the author kept (0..3), or -1 when the mask did not come from one
     */
    void open(String imageId, String modelId, Prompt prompt, BinaryMask mask, int maskIndex,
              List<ObjectSnapshot> objects) {
        body = requestWithoutTitle(imageId, modelId, prompt, mask, maskIndex, objects);
        creating = false;
        Browser.setHidden(result, true);
        Browser.setDisabled(createButton, false);
        Browser.setHidden(createButton, false);
        Browser.setText(status, "");
        Browser.setText(Browser.byId("share-copy-url"), "Copy");
        Browser.setText(Browser.byId("share-copy-delete"), "Copy");
        Browser.setHidden(dialog, false);
        focus(titleInput);
    }

    private void create() {
        if (creating || body == null) {
            return;
        }
        creating = true;
        Browser.setDisabled(createButton, true);
        Browser.setText(status, "Creating the link…");
        String title = trimmed(titleInput);
        String json = body + ",\"title\":" + (title.isEmpty() ? "null" : jsonString(title)) + "}";
        Browser.postJson("/api/shares", json, (code, answerText) -> {
            creating = false;
            JSObject answer = Browser.parseJson(answerText);
            if (code == 201 && answer != null && Browser.has(answer, "url")) {
                Browser.putString(urlInput, "value", origin() + Browser.string(answer, "url"));
                Browser.putString(deleteInput, "value", origin() + Browser.string(answer, "deleteUrl"));
                Browser.setHidden(result, false);
                Browser.setHidden(createButton, true);
                Browser.setText(status, "Anyone with the link sees this mask. Keep the delete link to yourself.");
                Browser.setAttribute(dialog, "data-share-id", Browser.string(answer, "id"));
                return;
            }
            Browser.setDisabled(createButton, false);
            String message = answer != null && Browser.has(answer, "message") ? Browser.string(answer, "message")
                    : code == 0 ? "the server cannot be reached" : "HTTP " + code;
            Browser.setText(status, (code == 429 ? "Too many links at once: " : "The link could not be created: ")
                    + message);
        });
    }

    private void close() {
        Browser.setHidden(dialog, true);
        body = null;
    }

    private void copy(JSObject input, String buttonId) {
        JSObject button = Browser.byId(buttonId);
        copyText(Browser.string(input, "value"), input, () -> Browser.setText(button, "Copied"));
    }

    /**
     * The top-level prompts and mask are one object's (the current one), for readers that know one; the
     * objects field carries every object with its label.
     */
    private static String requestWithoutTitle(String imageId, String modelId, Prompt prompt, BinaryMask mask,
                                              int maskIndex, List<ObjectSnapshot> objects) {
        StringBuilder json = new StringBuilder();
        json.append("{\"imageId\":").append(jsonString(imageId));
        json.append(",\"modelId\":").append(jsonString(modelId));
        String prompts = PromptJson.write(prompt); // {"points":…,"labels":…,"box":…}
        json.append(",\"prompts\":").append(prompts, 0, prompts.length() - 1)
                .append(",\"maskIndex\":").append(maskIndex < 0 ? "null" : String.valueOf(maskIndex)).append('}');
        json.append(",\"mask\":{\"size\":[").append(mask.height()).append(',').append(mask.width())
                .append("],\"counts\":").append(jsonString(RunLengthEncoding.encode(mask))).append('}');
        if (!objects.isEmpty()) {
            json.append(",\"objects\":").append(ObjectsJson.writeForShare(objects));
        }
        return json.toString();
    }

    @JSBody(params = "text", script = "return JSON.stringify(text);")
    private static native String jsonString(String text);

    @JSBody(params = "input", script = "return String(input.value || '').trim();")
    private static native String trimmed(JSObject input);

    @JSBody(params = "element", script = "element.focus();")
    private static native void focus(JSObject element);

    @JSBody(params = "event", script = "event.stopPropagation();")
    private static native void stopPropagation(JSObject event);

    @JSBody(script = "return location.origin;")
    private static native String origin();

    /** The clipboard API where the page may use it, else the selection and execCommand. */
    @JSBody(params = {"text", "input", "onCopied"}, script = ""
            + "function copiedBySelection() { input.select(); try { if (document.execCommand('copy')) { onCopied(); } }"
            + " catch (copyError) {} }"
            + "if (navigator.clipboard && navigator.clipboard.writeText) {"
            + "  navigator.clipboard.writeText(text).then(function() { onCopied(); }, copiedBySelection);"
            + "} else { copiedBySelection(); }")
    private static native void copyText(String text, JSObject input, Callbacks.OnTick onCopied);
}
