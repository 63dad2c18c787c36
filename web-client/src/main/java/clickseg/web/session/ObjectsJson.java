package clickseg.web.session;

import clickseg.export.MarkupText;
import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import clickseg.prompt.Prompt;
import clickseg.prompt.PromptJson;
import clickseg.wire.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image's objects as JSON text, the form a share's {@code objects} field and the browser's storage
 * both hold:
 * <pre>
 * [{"id": 1, "label": "dog", "hidden": false,
 *   "prompts": {"points": [[x, y], …], "labels": [1, 0, …], "box": [x0, y0, x1, y1] | null, "maskIndex": 0..3 | null},
 *   "mask": {"size": [height, width], "counts": "&lt;COCO compressed RLE&gt;"}}, …]
 * </pre>
 * Coordinates are original image pixels. Reading is strict about what it needs (a readable mask of the
 * image's size, a positive id) and skips nothing silently: a bad element throws, naming it.
 */
public final class ObjectsJson {
    private ObjectsJson() {
    }

    /** Every field, for the browser's storage. */
    public static String write(List<ObjectSnapshot> objects) {
        return write(objects, true);
    }

    /** Without "hidden", for a share (what its viewers see is every object). */
    public static String writeForShare(List<ObjectSnapshot> objects) {
        return write(objects, false);
    }

    private static String write(List<ObjectSnapshot> objects, boolean withHidden) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < objects.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            writeObject(json, objects.get(i), withHidden);
        }
        return json.append(']').toString();
    }

    private static void writeObject(StringBuilder json, ObjectSnapshot object, boolean withHidden) {
        json.append("{\"id\":").append(object.id()).append(",\"label\":");
        MarkupText.appendJsonString(json, object.label());
        if (withHidden) {
            json.append(",\"hidden\":").append(object.hidden());
        }
        String prompts = PromptJson.write(object.prompt());
        json.append(",\"prompts\":").append(prompts, 0, prompts.length() - 1).append(",\"maskIndex\":")
                .append(object.maskIndex() < 0 ? "null" : String.valueOf(object.maskIndex())).append('}');
        BinaryMask mask = object.mask();
        json.append(",\"mask\":{\"size\":[").append(mask.height()).append(',').append(mask.width())
                .append("],\"counts\":");
        MarkupText.appendJsonString(json, object.counts());
        json.append("}}");
    }

    /**
     * Reads an array as {@link #write} writes it (a share's may lack "hidden" and "mask.size").
     *
     * @throws IllegalArgumentException naming the element and field that cannot be read
     */
    public static List<ObjectSnapshot> read(String text, int width, int height) {
        Object parsed = JsonValue.parse(text);
        if (!(parsed instanceof List)) {
            throw new IllegalArgumentException("objects: must be an array, got " + JsonValue.kind(parsed));
        }
        List<?> array = (List<?>) parsed;
        List<ObjectSnapshot> objects = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            objects.add(readObject(array.get(i), "objects[" + i + "]", width, height));
        }
        return objects;
    }

    private static ObjectSnapshot readObject(Object element, String at, int width, int height) {
        if (!(element instanceof Map)) {
            throw new IllegalArgumentException(at + ": must be an object, got " + JsonValue.kind(element));
        }
        Map<?, ?> object = (Map<?, ?>) element;
        if (!(object.get("id") instanceof Double) || (Double) object.get("id") < 1
                || (Double) object.get("id") != Math.rint((Double) object.get("id"))) {
            throw new IllegalArgumentException(at + ".id: must be a positive whole number");
        }
        int id = (int) (double) (Double) object.get("id");
        Object label = object.get("label");
        String text = label instanceof String ? (String) label : "";
        boolean hidden = Boolean.TRUE.equals(object.get("hidden"));
        Prompt prompt = Prompt.empty();
        int maskIndex = -1;
        if (object.get("prompts") instanceof Map) {
            Map<?, ?> prompts = (Map<?, ?>) object.get("prompts");
            prompt = PromptJson.read(prompts.get("points"), prompts.get("labels"), prompts.get("box"));
            if (prompts.get("maskIndex") instanceof Double) {
                maskIndex = (int) (double) (Double) prompts.get("maskIndex");
            }
        }
        if (!(object.get("mask") instanceof Map) || !(((Map<?, ?>) object.get("mask")).get("counts") instanceof String)) {
            throw new IllegalArgumentException(at + ".mask: must be {size, counts}");
        }
        String counts = (String) ((Map<?, ?>) object.get("mask")).get("counts");
        BinaryMask mask;
        try {
            mask = RunLengthEncoding.decode(counts, width, height);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(at + ".mask.counts: " + e.getMessage());
        }
        return new ObjectSnapshot(id, text, prompt, maskIndex, mask, hidden, counts);
    }
}
