package clickseg.server.weights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model file that locating decoder weights needs: the graph's nodes (name,
 * op type, inputs, outputs), its initializers and Constant-node tensors, and its input and output
 * names. Parsed by hand from the protobuf wire format (ModelProto.graph = 7; GraphProto.node = 1,
 * initializer = 5, input = 11, output = 12; NodeProto.input = 1, output = 2, name = 3,
 * op_type = 4, attribute = 5; TensorProto.dims = 1, data_type = 2, float_data = 4, name = 8,
 * raw_data = 9), so the server needs no protobuf library.
 */
public final class OnnxGraph {
    private final byte[] modelBytes;
    private final int graphStart; // payload range of ModelProto.graph in modelBytes
    private final int graphEnd;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> tensors; // initializers and Constant outputs, by name
    private final List<String> inputs;
    private final List<String> outputs;

    private OnnxGraph(byte[] modelBytes, int graphStart, int graphEnd, List<OnnxNode> nodes,
                      Map<String, OnnxTensor> tensors, List<String> inputs, List<String> outputs) {
        this.modelBytes = modelBytes;
        this.graphStart = graphStart;
        this.graphEnd = graphEnd;
        this.nodes = Collections.unmodifiableList(nodes);
        this.tensors = Collections.unmodifiableMap(tensors);
        this.inputs = Collections.unmodifiableList(inputs);
        this.outputs = Collections.unmodifiableList(outputs);
    }

    /** Parses an ONNX ModelProto; throws IllegalArgumentException naming the problem on malformed input. */
    public static OnnxGraph parse(byte[] modelBytes) {
        ProtobufReader model = new ProtobufReader(modelBytes);
        int[] graphRange = null;
        while (model.next()) {
            if (model.fieldNumber() == 7) {
                graphRange = model.readRange();
            } else {
                model.skip();
            }
        }
        if (graphRange == null) {
            throw new IllegalArgumentException("not an ONNX model: no graph (ModelProto field 7) found");
        }
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        ProtobufReader graph = new ProtobufReader(modelBytes, graphRange[0], graphRange[1]);
        while (graph.next()) {
            switch (graph.fieldNumber()) {
                case 1 -> readNode(graph.readMessage(), nodes, tensors);
                case 5 -> {
                    OnnxTensor t = readTensor(graph.readMessage(), null);
                    tensors.put(t.name(), t);
                }
                case 11 -> inputs.add(readValueInfoName(graph.readMessage()));
                case 12 -> outputs.add(readValueInfoName(graph.readMessage()));
                default -> graph.skip();
            }
        }
        return new OnnxGraph(modelBytes, graphRange[0], graphRange[1], nodes, tensors, inputs, outputs);
    }

    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** Initializers and Constant-node values by name. */
    public Map<String, OnnxTensor> tensors() {
        return tensors;
    }

    public List<String> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    /**
     * The model re-serialised with extra float graph outputs (names of intermediate tensors), so
     * that a runtime can be asked for values the export does not expose. Protobuf repeated fields
     * may appear anywhere, so the new GraphProto.output entries are appended to the graph payload
     * and only ModelProto.graph's length prefix changes.
     */
    public byte[] withExtraOutputs(List<String> extraOutputNames) {
        java.io.ByteArrayOutputStream extra = new java.io.ByteArrayOutputStream();
        for (String name : extraOutputNames) {
            // ValueInfoProto { name = 1; type = 2 { tensor_type = 1 { elem_type = 1 (FLOAT) } } }
            byte[] nameBytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream valueInfo = new java.io.ByteArrayOutputStream();
            writeBytesField(valueInfo, 1, nameBytes);
            writeBytesField(valueInfo, 2, new byte[] {0x0a, 0x02, 0x08, 0x01});
            writeBytesField(extra, 12, valueInfo.toByteArray());
        }
        byte[] extraBytes = extra.toByteArray();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(modelBytes.length + extraBytes.length + 16);
        ProtobufReader model = new ProtobufReader(modelBytes);
        while (model.next()) {
            int start = model.fieldStart();
            if (model.fieldNumber() == 7) {
                model.readRange();
                int graphLength = graphEnd - graphStart + extraBytes.length;
                writeVarint(out, 7 << 3 | ProtobufReader.LENGTH_DELIMITED);
                writeVarint(out, graphLength);
                out.write(modelBytes, graphStart, graphEnd - graphStart);
                out.write(extraBytes, 0, extraBytes.length);
            } else {
                model.skip();
                out.write(modelBytes, start, model.position() - start);
            }
        }
        return out.toByteArray();
    }

    private static void writeBytesField(java.io.ByteArrayOutputStream out, int field, byte[] payload) {
        writeVarint(out, field << 3 | ProtobufReader.LENGTH_DELIMITED);
        writeVarint(out, payload.length);
        out.write(payload, 0, payload.length);
    }

    private static void writeVarint(java.io.ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static void readNode(ProtobufReader node, List<OnnxNode> nodes, Map<String, OnnxTensor> tensors) {
        String name = "";
        String opType = "";
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        OnnxTensor constantValue = null;
        while (node.next()) {
            switch (node.fieldNumber()) {
                case 1 -> in.add(node.readString());
                case 2 -> out.add(node.readString());
                case 3 -> name = node.readString();
                case 4 -> opType = node.readString();
                case 5 -> {
                    OnnxTensor t = readTensorAttribute(node.readMessage());
                    if (t != null) {
                        constantValue = t;
                    }
                }
                default -> node.skip();
            }
        }
        nodes.add(new OnnxNode(name, opType, List.copyOf(in), List.copyOf(out)));
        if (opType.equals("Constant") && constantValue != null && out.size() == 1) {
            OnnxTensor t = constantValue;
            tensors.put(out.get(0), new OnnxTensor(out.get(0), t.dims(), t.dataType(), t.bytes(), t.rawStart(),
                    t.rawEnd(), t.floatData()));
        }
    }

    /** AttributeProto { name = 1; t = 5 }: the tensor of a "value" attribute, else null. */
    private static OnnxTensor readTensorAttribute(ProtobufReader attribute) {
        String name = "";
        OnnxTensor t = null;
        while (attribute.next()) {
            if (attribute.fieldNumber() == 1) {
                name = attribute.readString();
            } else if (attribute.fieldNumber() == 5) {
                t = readTensor(attribute.readMessage(), "");
            } else {
                attribute.skip();
            }
        }
        return name.equals("value") ? t : null;
    }

    private static OnnxTensor readTensor(ProtobufReader tensor, String defaultName) {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = defaultName;
        int rawStart = -1;
        int rawEnd = -1;
        List<Float> floatValues = null;
        while (tensor.next()) {
            switch (tensor.fieldNumber()) {
                case 1 -> {
                    if (tensor.wireType() == ProtobufReader.LENGTH_DELIMITED) { // packed
                        ProtobufReader packed = tensor.readMessage();
                        while (packed.position() < endOf(packed)) {
                            dims.add(packed.readVarint());
                        }
                    } else {
                        dims.add(tensor.readVarint());
                    }
                }
                case 2 -> dataType = (int) tensor.readVarint();
                case 4 -> {
                    if (floatValues == null) {
                        floatValues = new ArrayList<>();
                    }
                    if (tensor.wireType() == ProtobufReader.LENGTH_DELIMITED) {
                        ProtobufReader packed = tensor.readMessage();
                        while (packed.position() < endOf(packed)) {
                            floatValues.add(Float.intBitsToFloat(packed.readFixed32()));
                        }
                    } else {
                        floatValues.add(Float.intBitsToFloat(tensor.readFixed32()));
                    }
                }
                case 8 -> name = tensor.readString();
                case 9 -> {
                    int[] range = tensor.readRange();
                    rawStart = range[0];
                    rawEnd = range[1];
                }
                case 14 -> {
                    long location = tensor.readVarint();
                    if (location == 1) {
                        throw new IllegalArgumentException("tensor " + name
                                + " keeps its data in an external file; only self-contained ONNX files are supported");
                    }
                }
                default -> tensor.skip();
            }
        }
        if (name == null) {
            throw new IllegalArgumentException("an initializer has no name");
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
        }
        float[] floatData = null;
        if (floatValues != null) {
            floatData = new float[floatValues.size()];
            for (int i = 0; i < floatData.length; i++) {
                floatData[i] = floatValues.get(i);
            }
        }
        return new OnnxTensor(name, shape, dataType, tensor.bytes(), rawStart, rawEnd, floatData);
    }

    private static int endOf(ProtobufReader r) {
        return r.endOffset();
    }

    private static String readValueInfoName(ProtobufReader valueInfo) {
        String name = "";
        while (valueInfo.next()) {
            if (valueInfo.fieldNumber() == 1) {
                name = valueInfo.readString();
            } else {
                valueInfo.skip();
            }
        }
        return name;
    }
}
