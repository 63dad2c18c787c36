package clickseg.server.json;

import clickseg.server.ApiException;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A JSON request body read strictly and its fields checked one by one: every refusal is a 400 whose message
 * starts with the field it is about ({@code points[2][0]}, {@code mask.size}, …), so a client can show it as
 * is. Malformed JSON is {@code bad_json}; a wrong field takes the error code the route chose.
 */
public final class JsonFields {
    private final String errorCode;

    /** @param errorCode the {@code error} of a 400 for a wrong field, e.g. {@code bad_prompt} */
    public JsonFields(String errorCode) {
        this.errorCode = errorCode;
    }

    public ApiException bad(String message) {
        return new ApiException(400, errorCode, message);
    }

    /**
     * The body as a JSON object: strict JSON (no NaN, comments, single quotes, unquoted names or trailing
     * text), or 400 {@code bad_json} saying where it broke.
     *
     * @param example a short valid body, quoted in the answer to an empty one
     */
    public static JsonObject object(byte[] body, String example) {
        if (body.length == 0) {
            throw new ApiException(400, "bad_json", "body: empty; send a JSON object such as " + example);
        }
        JsonReader reader = new JsonReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        reader.setStrictness(Strictness.STRICT);
        JsonElement root;
        try {
            root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ApiException(400, "bad_json", "body: unexpected text after the JSON object at "
                        + location(reader));
            }
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new ApiException(400, "bad_json", "body: not valid JSON at " + location(reader) + " ("
                    + reason(e) + ")");
        }
        if (!root.isJsonObject()) {
            throw new ApiException(400, "bad_json", "body: must be a JSON object, got " + kind(root));
        }
        return root.getAsJsonObject();
    }

    public double number(JsonElement element, String field) {
        if (!(element instanceof JsonPrimitive primitive) || !primitive.isNumber()) {
            throw bad(field + ": must be a number, got " + kind(element));
        }
        return primitive.getAsDouble();
    }

    /** A number that fits a float: what coordinates become. */
    public double finite(JsonElement element, String field) {
        double value = number(element, field);
        if (!Double.isFinite(value) || Math.abs(value) > Float.MAX_VALUE) {
            throw bad(field + ": must be a finite number, got " + element);
        }
        return value;
    }

    /** What a value is, for an error message: "null", "an array of 3", "the string \"abc\"" (cut at 40). */
    public static String kind(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return "null";
        }
        if (element.isJsonObject()) {
            return "an object";
        }
        if (element.isJsonArray()) {
            return "an array of " + element.getAsJsonArray().size();
        }
        JsonPrimitive p = element.getAsJsonPrimitive();
        String text = p.toString();
        if (text.length() > 40) {
            text = text.substring(0, 40) + "…";
        }
        return (p.isString() ? "the string " : p.isBoolean() ? "the boolean " : "the number ") + text;
    }

    /** Where the reader stopped, as a JSON path such as {@code points[0][1]}. */
    private static String location(JsonReader reader) {
        String path = reader.getPath(); // "$.points[0][1]"
        if (path.startsWith("$.") && path.length() > 2) {
            return path.substring(2);
        }
        return path.equals("$") || path.equals("$.") ? "the top level" : path;
    }

    /**
     * The innermost cause's message without Gson's advice to parse leniently, its position (the path says
     * it better) and its troubleshooting link.
     */
    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof EOFException) {
            return "the text ends too early";
        }
        String m = cause.getMessage();
        if (m == null) {
            return "unreadable";
        }
        int cut = m.indexOf(" at line ");
        if (cut < 0) {
            cut = m.indexOf("\nSee ");
        }
        if (cut > 0) {
            m = m.substring(0, cut);
        }
        m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "")
                .replace("com.google.gson.stream.MalformedJsonException: ", "").strip();
        return m.isEmpty() ? "malformed, e.g. NaN, single quotes, comments or trailing text" : m;
    }
}
