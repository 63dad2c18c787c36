package clickseg.decoder;

/**
 * One decoder tensor the model needs: its PyTorch state_dict name (relative to the SAM model) and
 * its shape in PyTorch's layout (Linear weights are (out, in), convolutions (out, in, kh, kw),
 * transposed convolutions (in, out, kh, kw)).
 */
public record WeightSpec(String name, int[] shape) {
    public int elementCount() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(']').toString();
    }
}
