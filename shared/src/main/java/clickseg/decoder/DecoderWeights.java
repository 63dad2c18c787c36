package clickseg.decoder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every tensor of SAM v1's prompt encoder and mask decoder, by PyTorch name, in PyTorch layout.
 *
 * <p>The architecture is the same for every SAM v1 model (ViT-B/L/H, MobileSAM, TinyViT): a
 * 256-channel two-way transformer of depth 2 with 8 heads, MLP width 2048, and 4 mask tokens.
 * {@link #SPECS} lists all 91 tensors; {@link #of(Map)} rejects a set that misses one or has one
 * of the wrong shape, naming it.
 */
public final class DecoderWeights {
    public static final int EMBED_DIM = 256;
    public static final int MLP_DIM = 2048;
    public static final int NUM_MASK_TOKENS = 4;
    public static final int UPSCALE1_DIM = 64;
    public static final int UPSCALE2_DIM = 32;
    public static final int CROSS_ATTENTION_DIM = 128; // downsample_rate 2
    public static final int DEPTH = 2;

    public static final List<WeightSpec> SPECS = buildSpecs();

    private final Map<String, float[]> tensors;

    private DecoderWeights(Map<String, float[]> tensors) {
        this.tensors = tensors;
    }

    /** Validates names and sizes against {@link #SPECS}; the arrays are kept, not copied. */
    public static DecoderWeights of(Map<String, float[]> tensors) {
        Map<String, float[]> ordered = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (WeightSpec spec : SPECS) {
            float[] values = tensors.get(spec.name());
            if (values == null) {
                problems.add("missing tensor " + spec.name() + " " + spec.shapeString());
            } else if (values.length != spec.elementCount()) {
                problems.add("tensor " + spec.name() + " has " + values.length + " values, expected shape "
                        + spec.shapeString() + " (" + spec.elementCount() + ")");
            } else {
                ordered.put(spec.name(), values);
            }
        }
        for (String name : tensors.keySet()) {
            if (!ordered.containsKey(name) && findSpec(name) == null) {
                problems.add("unexpected tensor " + name);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid SAM decoder weights: " + String.join("; ", problems));
        }
        return new DecoderWeights(Collections.unmodifiableMap(ordered));
    }

    public float[] get(String name) {
        float[] t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return t;
    }

    /** All tensors in {@link #SPECS} order. */
    public Map<String, float[]> tensors() {
        return tensors;
    }

    public static WeightSpec findSpec(String name) {
        for (WeightSpec spec : SPECS) {
            if (spec.name().equals(name)) {
                return spec;
            }
        }
        return null;
    }

    public long parameterCount() {
        long n = 0;
        for (float[] t : tensors.values()) {
            n += t.length;
        }
        return n;
    }

    private static List<WeightSpec> buildSpecs() {
        List<WeightSpec> s = new ArrayList<>();
        String pe = "prompt_encoder.";
        s.add(spec(pe + "pe_layer.positional_encoding_gaussian_matrix", 2, EMBED_DIM / 2));
        for (int i = 0; i < 4; i++) {
            s.add(spec(pe + "point_embeddings." + i + ".weight", 1, EMBED_DIM));
        }
        s.add(spec(pe + "not_a_point_embed.weight", 1, EMBED_DIM));
        s.add(spec(pe + "no_mask_embed.weight", 1, EMBED_DIM));
        s.add(spec(pe + "mask_downscaling.0.weight", 4, 1, 2, 2));
        s.add(spec(pe + "mask_downscaling.0.bias", 4));
        s.add(spec(pe + "mask_downscaling.1.weight", 4));
        s.add(spec(pe + "mask_downscaling.1.bias", 4));
        s.add(spec(pe + "mask_downscaling.3.weight", 16, 4, 2, 2));
        s.add(spec(pe + "mask_downscaling.3.bias", 16));
        s.add(spec(pe + "mask_downscaling.4.weight", 16));
        s.add(spec(pe + "mask_downscaling.4.bias", 16));
        s.add(spec(pe + "mask_downscaling.6.weight", EMBED_DIM, 16, 1, 1));
        s.add(spec(pe + "mask_downscaling.6.bias", EMBED_DIM));

        String md = "mask_decoder.";
        s.add(spec(md + "iou_token.weight", 1, EMBED_DIM));
        s.add(spec(md + "mask_tokens.weight", NUM_MASK_TOKENS, EMBED_DIM));
        for (int layer = 0; layer < DEPTH; layer++) {
            String l = md + "transformer.layers." + layer + ".";
            addAttention(s, l + "self_attn.", EMBED_DIM);
            addNorm(s, l + "norm1.");
            addAttention(s, l + "cross_attn_token_to_image.", CROSS_ATTENTION_DIM);
            addNorm(s, l + "norm2.");
            s.add(spec(l + "mlp.lin1.weight", MLP_DIM, EMBED_DIM));
            s.add(spec(l + "mlp.lin1.bias", MLP_DIM));
            s.add(spec(l + "mlp.lin2.weight", EMBED_DIM, MLP_DIM));
            s.add(spec(l + "mlp.lin2.bias", EMBED_DIM));
            addNorm(s, l + "norm3.");
            addNorm(s, l + "norm4.");
            addAttention(s, l + "cross_attn_image_to_token.", CROSS_ATTENTION_DIM);
        }
        addAttention(s, md + "transformer.final_attn_token_to_image.", CROSS_ATTENTION_DIM);
        addNorm(s, md + "transformer.norm_final_attn.");
        s.add(spec(md + "output_upscaling.0.weight", EMBED_DIM, UPSCALE1_DIM, 2, 2));
        s.add(spec(md + "output_upscaling.0.bias", UPSCALE1_DIM));
        s.add(spec(md + "output_upscaling.1.weight", UPSCALE1_DIM));
        s.add(spec(md + "output_upscaling.1.bias", UPSCALE1_DIM));
        s.add(spec(md + "output_upscaling.3.weight", UPSCALE1_DIM, UPSCALE2_DIM, 2, 2));
        s.add(spec(md + "output_upscaling.3.bias", UPSCALE2_DIM));
        for (int m = 0; m < NUM_MASK_TOKENS; m++) {
            addMlp3(s, md + "output_hypernetworks_mlps." + m + ".", UPSCALE2_DIM);
        }
        addMlp3(s, md + "iou_prediction_head.", NUM_MASK_TOKENS);
        return Collections.unmodifiableList(s);
    }

    private static void addAttention(List<WeightSpec> s, String prefix, int internalDim) {
        s.add(spec(prefix + "q_proj.weight", internalDim, EMBED_DIM));
        s.add(spec(prefix + "q_proj.bias", internalDim));
        s.add(spec(prefix + "k_proj.weight", internalDim, EMBED_DIM));
        s.add(spec(prefix + "k_proj.bias", internalDim));
        s.add(spec(prefix + "v_proj.weight", internalDim, EMBED_DIM));
        s.add(spec(prefix + "v_proj.bias", internalDim));
        s.add(spec(prefix + "out_proj.weight", EMBED_DIM, internalDim));
        s.add(spec(prefix + "out_proj.bias", EMBED_DIM));
    }

    private static void addNorm(List<WeightSpec> s, String prefix) {
        s.add(spec(prefix + "weight", EMBED_DIM));
        s.add(spec(prefix + "bias", EMBED_DIM));
    }

    private static void addMlp3(List<WeightSpec> s, String prefix, int outDim) {
        s.add(spec(prefix + "layers.0.weight", EMBED_DIM, EMBED_DIM));
        s.add(spec(prefix + "layers.0.bias", EMBED_DIM));
        s.add(spec(prefix + "layers.1.weight", EMBED_DIM, EMBED_DIM));
        s.add(spec(prefix + "layers.1.bias", EMBED_DIM));
        s.add(spec(prefix + "layers.2.weight", outDim, EMBED_DIM));
        s.add(spec(prefix + "layers.2.bias", outDim));
    }

    private static WeightSpec spec(String name, int... shape) {
        return new WeightSpec(name, shape);
    }
}
