package clickseg.server.weights;

import clickseg.decoder.DecoderWeights;
import clickseg.decoder.WeightSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds every SAM decoder weight in an ONNX export of SAM's prompt encoder + mask decoder.
 *
 * <p>Exports keep some tensors under their PyTorch names ({@code mask_decoder.…q_proj.bias}) but
 * PyTorch's exporter renames the Linear weights it transposes into MatMul operands to
 * {@code onnx::MatMul_1926} and folds constants ({@code onnx::Mul_1912} for a LayerNorm2d scale,
 * {@code onnx::Expand_1921} for the concatenated IoU and mask tokens). Those are placed through
 * the node that consumes them: the node name {@code /transformer/layers.0/self_attn/q_proj/MatMul}
 * says the module path, its op type says which parameter and layout. Only the standard module
 * names of Meta's {@code segment_anything} are assumed, not this particular export.
 */
public final class OnnxDecoderWeights {
    private OnnxDecoderWeights() {
    }

    public static DecoderWeights read(byte[] onnxModel) {
        return read(OnnxGraph.parse(onnxModel));
    }

    public static DecoderWeights read(OnnxGraph graph) {
        Map<String, List<OnnxNode>> consumers = new HashMap<>();
        Map<String, OnnxNode> producers = new HashMap<>();
        for (OnnxNode node : graph.nodes()) {
            for (String input : node.inputs()) {
                consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
            }
            for (String output : node.outputs()) {
                producers.put(output, node);
            }
        }
        Map<String, float[]> byRole = new LinkedHashMap<>();
        Map<String, String> sourceOfRole = new HashMap<>();
        for (OnnxTensor tensor : graph.tensors().values()) {
            if (tensor.dataType() != OnnxTensor.FLOAT && tensor.dataType() != OnnxTensor.FLOAT16
                    && tensor.dataType() != OnnxTensor.DOUBLE) {
                continue;
            }
            String role = roleByName(tensor.name());
            boolean transposed = false;
            if (role == null) {
                List<OnnxNode> users = consumers.getOrDefault(tensor.name(), List.of());
                for (OnnxNode user : users) {
                    String[] placed = roleByConsumer(tensor.name(), user);
                    if (placed != null && placed[1] == null && (user.opType().equals("Mul") || user.opType().equals("Add"))
                            && tensor.elementCount() != DecoderWeights.findSpec(placed[0]).elementCount()) {
                        continue; // an elementwise constant (eps, 0.5) in the module's scope, not its parameter
                    }
                    if (placed != null) {
                        role = placed[0];
                        transposed = placed[1] != null;
                        break;
                    }
                }
                if (role == null && isNoMaskEmbedding(tensor, users, producers)) {
                    role = "prompt_encoder.no_mask_embed.weight";
                }
                if (role == null && isOutputTokens(tensor, users)) {
                    float[] values = tensor.toFloats();
                    int c = DecoderWeights.EMBED_DIM;
                    float[] iou = new float[c];
                    float[] masks = new float[DecoderWeights.NUM_MASK_TOKENS * c];
                    System.arraycopy(values, 0, iou, 0, c);
                    System.arraycopy(values, c, masks, 0, masks.length);
                    put(byRole, sourceOfRole, "mask_decoder.iou_token.weight", iou, tensor.name());
                    put(byRole, sourceOfRole, "mask_decoder.mask_tokens.weight", masks, tensor.name());
                    continue;
                }
            }
            if (role == null) {
                continue; // a graph constant that is not a weight (scales, eps, coordinate grids)
            }
            WeightSpec spec = DecoderWeights.findSpec(role);
            if (spec == null) {
                continue; // a parameter this decoder does not use
            }
            checkShape(tensor, spec, transposed);
            float[] values = tensor.toFloats();
            if (transposed) {
                values = transpose(values, spec.shape()[1], spec.shape()[0]);
            }
            put(byRole, sourceOfRole, role, values, tensor.name());
        }
        List<String> missing = new ArrayList<>();
        for (WeightSpec spec : DecoderWeights.SPECS) {
            if (!byRole.containsKey(spec.name())) {
                missing.add(spec.name() + " " + spec.shapeString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the ONNX file is not a complete SAM v1 decoder: no tensor found for "
                    + String.join(", ", missing));
        }
        return DecoderWeights.of(byRole);
    }

    /** The role of a tensor that kept its PyTorch name, e.g. model.prompt_encoder.… or mask_decoder.… */
    static String roleByName(String onnxName) {
        String name = onnxName;
        if (name.startsWith("model.")) {
            name = name.substring("model.".length());
        }
        if (name.startsWith("mask_decoder.") || name.startsWith("prompt_encoder.")) {
            return DecoderWeights.findSpec(name) != null ? name : null;
        }
        if (DecoderWeights.findSpec("mask_decoder." + name) != null) {
            return "mask_decoder." + name;
        }
        if (DecoderWeights.findSpec("prompt_encoder." + name) != null) {
            return "prompt_encoder." + name;
        }
        return null;
    }

    /**
     * {role, transposedFlag-or-null} for a tensor placed through the node consuming it, or null.
     * A MatMul operand is a Linear weight stored (in, out), the transpose of PyTorch's layout.
     */
    static String[] roleByConsumer(String tensorName, OnnxNode node) {
        String module = modulePath(node.name());
        if (module == null) {
            return null;
        }
        int index = node.inputs().indexOf(tensorName);
        String parameter;
        boolean transposed = false;
        switch (node.opType()) {
            case "MatMul" -> {
                parameter = "weight";
                transposed = index == 1;
                if (index != 1) {
                    return null;
                }
            }
            case "Gemm", "Conv", "ConvTranspose", "LayerNormalization" -> {
                if (index == 1) {
                    parameter = "weight";
                } else if (index == 2) {
                    parameter = "bias";
                } else {
                    return null;
                }
            }
            case "Mul" -> parameter = "weight"; // LayerNorm2d: weight[:, None, None] * x
            case "Add" -> parameter = "bias";   // LayerNorm2d and Linear biases
            default -> {
                return null;
            }
        }
        String role = roleByName(module + "." + parameter);
        if (role == null) {
            return null;
        }
        return new String[] {role, transposed ? "transposed" : null};
    }

    /**
     * "/mask_decoder/transformer/layers.0/self_attn/q_proj/MatMul" → "transformer.layers.0.self_attn.q_proj";
     * "/mask_downscaling/mask_downscaling.1/Mul" → "mask_downscaling.1" (a Sequential's child scope
     * repeats the parent's name).
     */
    static String modulePath(String nodeName) {
        if (nodeName == null || !nodeName.startsWith("/")) {
            return null;
        }
        String[] parts = nodeName.substring(1).split("/");
        if (parts.length < 2) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        String previous = null;
        for (int i = 0; i < parts.length - 1; i++) { // the last part names the op
            String part = parts[i];
            if (part.equals("model") || part.equals("mask_decoder") || part.equals("prompt_encoder")) {
                continue;
            }
            if (previous != null && part.startsWith(previous + ".")) {
                // Sequential child "mask_downscaling.1" under scope "mask_downscaling"
                int cut = path.length() - previous.length();
                path.setLength(cut);
                path.append(part);
            } else {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(part);
            }
            previous = part;
        }
        return path.length() == 0 ? null : path.toString();
    }

    /** The folded no_mask_embed: 256 values multiplied by (1 - has_mask_input). */
    private static boolean isNoMaskEmbedding(OnnxTensor tensor, List<OnnxNode> users, Map<String, OnnxNode> producers) {
        if (tensor.elementCount() != DecoderWeights.EMBED_DIM) {
            return false;
        }
        for (OnnxNode user : users) {
            if (!user.opType().equals("Mul")) {
                continue;
            }
            for (String other : user.inputs()) {
                OnnxNode producer = producers.get(other);
                if (producer != null && producer.inputs().contains("has_mask_input")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The folded cat([iou_token, mask_tokens]): (1 + 4) × 256 values expanded over the batch. */
    private static boolean isOutputTokens(OnnxTensor tensor, List<OnnxNode> users) {
        int rows = 1 + DecoderWeights.NUM_MASK_TOKENS;
        long[] dims = tensor.dims();
        if (tensor.elementCount() != (long) rows * DecoderWeights.EMBED_DIM || dims.length < 2
                || dims[dims.length - 1] != DecoderWeights.EMBED_DIM || dims[dims.length - 2] != rows) {
            return false;
        }
        for (OnnxNode user : users) {
            String op = user.opType();
            if (op.equals("Expand") || op.equals("Concat") || op.equals("Tile")) {
                return true;
            }
        }
        return false;
    }

    private static void checkShape(OnnxTensor tensor, WeightSpec spec, boolean transposed) {
        int[] expected = spec.shape().clone();
        if (transposed) {
            int t = expected[0];
            expected[0] = expected[1];
            expected[1] = t;
        }
        if (!sameIgnoringUnitDims(tensor.dims(), expected)) {
            StringBuilder want = new StringBuilder("[");
            for (int i = 0; i < expected.length; i++) {
                want.append(i > 0 ? ", " : "").append(expected[i]);
            }
            want.append(']');
            throw new IllegalArgumentException("tensor " + tensor.name() + " (" + spec.name() + ") has shape "
                    + tensor.shapeString() + ", expected " + want);
        }
    }

    private static boolean sameIgnoringUnitDims(long[] actual, int[] expected) {
        List<Long> a = new ArrayList<>();
        for (long d : actual) {
            if (d != 1) {
                a.add(d);
            }
        }
        List<Long> e = new ArrayList<>();
        for (int d : expected) {
            if (d != 1) {
                e.add((long) d);
            }
        }
        return a.equals(e);
    }

    /** (rows, cols) → (cols, rows). */
    private static float[] transpose(float[] values, int rows, int cols) {
        float[] out = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = values[r * cols + c];
            }
        }
        return out;
    }

    private static void put(Map<String, float[]> byRole, Map<String, String> sourceOfRole, String role,
                            float[] values, String source) {
        String earlier = sourceOfRole.put(role, source);
        if (earlier != null && !earlier.equals(source)) {
            throw new IllegalArgumentException("two tensors claim " + role + ": " + earlier + " and " + source);
        }
        byRole.put(role, values);
    }
}
