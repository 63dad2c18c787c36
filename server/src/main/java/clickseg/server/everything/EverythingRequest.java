package clickseg.server.everything;

import clickseg.everything.EverythingParameters;
import clickseg.server.ApiException;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.util.Map;
import java.util.Set;

/**
 * Reads "segment everything" parameters from a JSON object: every field optional (SAM's defaults),
 * unknown fields and wrong types refused, ranges checked by {@link EverythingParameters#validate}
 * against the server's largest grid. Every problem is a 400 that names the field.
 */
final class EverythingRequest {
    static final Set<String> PARAMETER_FIELDS = Set.of("pointsPerSide", "predIouThreshold", "stabilityThreshold",
            "stabilityOffset", "boxNmsThreshold", "minRegionArea", "cropLayers", "cropOverlapRatio",
            "cropPointsDownscale", "cropNmsThreshold", "stabilityAtFullResolution", "dropBackground", "gridLevels");

    private EverythingRequest() {
    }

    /** The body as a JSON object; an empty body is {}. */
    static JsonObject body(String text) {
        if (text == null || text.isBlank()) {
            return new JsonObject();
        }
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new ApiException(400, "bad_json", "the body is not valid JSON: " + e.getMessage());
        }
        if (!parsed.isJsonObject()) {
            throw new ApiException(400, "bad_json", "the body must be a JSON object");
        }
        return parsed.getAsJsonObject();
    }

    /**
     * @param otherFields fields the caller reads itself (e.g. "images" in a batch)
     */
    static EverythingParameters parameters(JsonObject body, Set<String> otherFields, int maxPointsPerSide,
                                           boolean cropsSupported) {
        for (String field : body.keySet()) {
            if (!PARAMETER_FIELDS.contains(field) && !otherFields.contains(field)) {
                throw new ApiException(400, "bad_parameter", "unknown field \"" + field + "\"; known: "
                        + String.join(", ", new java.util.TreeSet<>(PARAMETER_FIELDS))
                        + (otherFields.isEmpty() ? "" : ", " + String.join(", ", otherFields)));
            }
        }
        EverythingParameters d = EverythingParameters.defaults();
        int pointsPerSide = integer(body, "pointsPerSide", d.pointsPerSide());
        EverythingParameters p = new EverythingParameters(
                pointsPerSide,
                decimal(body, "predIouThreshold", d.predIouThreshold()),
                decimal(body, "stabilityThreshold", d.stabilityThreshold()),
                decimal(body, "stabilityOffset", d.stabilityOffset()),
                decimal(body, "boxNmsThreshold", d.boxNmsThreshold()),
                integer(body, "minRegionArea", d.minRegionArea()),
                integer(body, "cropLayers", d.cropLayers()),
                decimal(body, "cropOverlapRatio", d.cropOverlapRatio()),
                integer(body, "cropPointsDownscale", d.cropPointsDownscale()),
                decimal(body, "cropNmsThreshold", d.cropNmsThreshold()),
                bool(body, "stabilityAtFullResolution", d.stabilityAtFullResolution()),
                bool(body, "dropBackground", d.dropBackground()),
                // unless asked, coarse to fine from 8 × 8 whatever the grid (SAM's 32 × 32 in three levels)
                integer(body, "gridLevels", EverythingParameters.coarseToFineLevels(pointsPerSide)));
        String problems = p.validate(maxPointsPerSide);
        if (problems != null) {
            throw new ApiException(400, "bad_parameter", problems);
        }
        if (p.cropLayers() > 0 && !cropsSupported) {
            throw new ApiException(400, "bad_parameter", "cropLayers > 0 is not available on this server");
        }
        return p;
    }

    /**
     * The caps on one job unless the operator allows large jobs (--large-everything-jobs): what a page asks
     * for (the app asks 16 points per side, SAM's default is 32) and not an order of magnitude more. Without
     * them one 64-byte request ({@code pointsPerSide 64, cropLayers 3, cropPointsDownscale 1}: 85 crops x
     * 4,096 decodes) held both cores for hours.
     */
    static final int CAP_POINTS_PER_SIDE = 32;
    static final int CAP_CROP_LAYERS = 1;
    /** Single-point decodes over all crops of one image: SAM's 32 x 32 grid plus one crop layer at half density. */
    static final int CAP_PROMPTS = 2048;

    /** Decodes one image's job runs: the grid of each crop (crop count doubles per side with each layer). */
    static long prompts(EverythingParameters p) {
        long total = 0;
        for (int layer = 0; layer <= p.cropLayers(); layer++) {
            long crops = 1L << (2 * layer);
            long n = p.pointsPerSide(layer);
            total += crops * n * n;
        }
        return total;
    }

    /** Null when the job is within the caps, else 400's message. */
    static String overCaps(EverythingParameters p) {
        if (p.pointsPerSide() > CAP_POINTS_PER_SIDE || p.cropLayers() > CAP_CROP_LAYERS || prompts(p) > CAP_PROMPTS) {
            return "this job needs " + prompts(p) + " decodes per image (pointsPerSide " + p.pointsPerSide()
                    + ", cropLayers " + p.cropLayers() + ", cropPointsDownscale " + p.cropPointsDownscale()
                    + "); this server allows pointsPerSide <= " + CAP_POINTS_PER_SIDE + ", cropLayers <= "
                    + CAP_CROP_LAYERS + " and at most " + CAP_PROMPTS + " decodes per image (its operator can allow "
                    + "more with --large-everything-jobs)";
        }
        return null;
    }

    /** The parameters as JSON fields, for echoing back. */
    static Map<String, Object> describe(EverythingParameters p) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("pointsPerSide", p.pointsPerSide());
        m.put("predIouThreshold", p.predIouThreshold());
        m.put("stabilityThreshold", p.stabilityThreshold());
        m.put("stabilityOffset", p.stabilityOffset());
        m.put("boxNmsThreshold", p.boxNmsThreshold());
        m.put("minRegionArea", p.minRegionArea());
        m.put("cropLayers", p.cropLayers());
        m.put("cropOverlapRatio", p.cropOverlapRatio());
        m.put("cropPointsDownscale", p.cropPointsDownscale());
        m.put("cropNmsThreshold", p.cropNmsThreshold());
        m.put("stabilityAtFullResolution", p.stabilityAtFullResolution());
        m.put("dropBackground", p.dropBackground());
        m.put("gridLevels", p.gridLevels());
        return m;
    }

    private static JsonPrimitive number(JsonObject body, String field) {
        JsonElement e = body.get(field);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ApiException(400, "bad_parameter", field + " must be a number, got " + e);
        }
        return e.getAsJsonPrimitive();
    }

    private static int integer(JsonObject body, String field, int fallback) {
        JsonPrimitive n = number(body, field);
        if (n == null) {
            return fallback;
        }
        double v = n.getAsDouble();
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new ApiException(400, "bad_parameter", field + " must be a whole number, got " + n);
        }
        return (int) v;
    }

    /** Any number; the range is checked with the others in EverythingParameters.validate. */
    private static float decimal(JsonObject body, String field, float fallback) {
        JsonPrimitive n = number(body, field);
        return n == null ? fallback : n.getAsFloat();
    }

    private static boolean bool(JsonObject body, String field, boolean fallback) {
        JsonElement e = body.get(field);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new ApiException(400, "bad_parameter", field + " must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }
}
