package clickseg.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.server.weights.OnnxDecoderWeights;
import clickseg.server.weights.OnnxGraph;
import clickseg.server.weights.OnnxTensor;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxDecoderWeightsTest {
    static byte[] model;
    static OnnxGraph graph;

    @BeforeAll
    static void load() throws Exception {
        model = Files.readAllBytes(TestModels.decoderOnnx());
        graph = OnnxGraph.parse(model);
    }

    @Test
    void the_graph_exposes_the_standard_decoder_inputs_and_outputs() {
        assertEquals(java.util.List.of("image_embeddings", "point_coords", "point_labels", "mask_input",
                "has_mask_input", "orig_im_size"), graph.inputs());
        assertEquals(java.util.List.of("masks", "iou_predictions", "low_res_masks"), graph.outputs());
    }

    @Test
    void every_decoder_weight_is_found_including_the_renamed_matmul_operands() {
        DecoderWeights w = OnnxDecoderWeights.read(graph);
        assertEquals(DecoderWeights.SPECS.size(), w.tensors().size());
        // 4.06 M parameters per the model card; the reader must find all of them.
        assertTrue(w.parameterCount() > 4_000_000 && w.parameterCount() < 4_100_000, "params " + w.parameterCount());
        // onnx::MatMul_1926 is (in, out) = q_proj.weight transposed; the reader returns PyTorch's (out, in).
        float[] stored = graph.tensors().get("onnx::MatMul_1926").toFloats();
        float[] q = w.get("mask_decoder.transformer.layers.0.self_attn.q_proj.weight");
        assertEquals(stored[3 * 256 + 7], q[7 * 256 + 3]);
        assertEquals(stored[200 * 256 + 1], q[1 * 256 + 200]);
        // The folded output tokens are split into the IoU token and the 4 mask tokens.
        float[] tokens = graph.tensors().get("onnx::Expand_1921").toFloats();
        assertEquals(tokens[0], w.get("mask_decoder.iou_token.weight")[0]);
        assertEquals(tokens[256 + 5], w.get("mask_decoder.mask_tokens.weight")[5]);
        assertArrayEquals(graph.tensors().get("onnx::Mul_1919").toFloats(), w.get("prompt_encoder.no_mask_embed.weight"));
    }

    @Test
    void a_model_missing_a_tensor_is_rejected_naming_it() {
        // Rename the initializer holding the IoU head's last bias (its TensorProto.name field, tag 0x42),
        // so that neither its name nor a consuming node places it.
        String name = "mask_decoder.iou_prediction_head.layers.2.bias";
        byte[] broken = replaceAscii(model, "\u0042" + (char) name.length() + name,
                "\u0042" + (char) name.length() + "mask_decoder.iou_prediction_head.layers.2.XXXX");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxDecoderWeights.read(broken));
        assertTrue(e.getMessage().contains("mask_decoder.iou_prediction_head.layers.2.bias"), e.getMessage());
    }

    @Test
    void a_model_with_a_misshapen_tensor_is_rejected_naming_it() {
        // Find the dims of norm1.weight ([256]) and change them to [128]: the varint 256 = 0x80 0x02.
        OnnxTensor t = graph.tensors().get("mask_decoder.transformer.layers.0.norm1.weight");
        byte[] broken = model.clone();
        // TensorProto.dims (field 1, varint) precedes the name; locate "08 80 02" just before the tensor's raw data.
        byte[] name = "mask_decoder.transformer.layers.0.norm1.weight".getBytes();
        byte[] nameField = new byte[name.length + 2]; // TensorProto.name = 8, length-delimited: tag 0x42
        nameField[0] = 0x42;
        nameField[1] = (byte) name.length;
        System.arraycopy(name, 0, nameField, 2, name.length);
        int nameAt = indexOf(broken, nameField, 0);
        int dimsAt = lastIndexOf(broken, new byte[] {0x08, (byte) 0x80, 0x02}, nameAt);
        assertTrue(dimsAt > 0 && nameAt - dimsAt < 64, "dims field near the name");
        broken[dimsAt + 1] = (byte) 0x80;
        broken[dimsAt + 2] = 0x01; // 128
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxDecoderWeights.read(broken));
        assertTrue(e.getMessage().contains("mask_decoder.transformer.layers.0.norm1.weight"), e.getMessage());
        assertEquals(256, t.elementCount());
    }

    @Test
    void a_truncated_file_is_rejected_with_a_message() {
        byte[] truncated = java.util.Arrays.copyOf(model, model.length / 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxDecoderWeights.read(truncated));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    static byte[] replaceAscii(byte[] bytes, String from, String to) {
        byte[] out = bytes.clone();
        byte[] f = from.getBytes();
        int at = indexOf(out, f, 0);
        assertTrue(at >= 0, "found " + from);
        System.arraycopy(to.getBytes(), 0, out, at, f.length);
        assertEquals(-1, indexOf(out, f, at + 1), "unique occurrence of " + from);
        return out;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static int lastIndexOf(byte[] haystack, byte[] needle, int before) {
        outer:
        for (int i = before - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
