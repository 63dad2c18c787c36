package clickseg.server.weights;

import java.util.List;

/** One ONNX NodeProto, reduced to what locating weights needs. */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs) {
}
