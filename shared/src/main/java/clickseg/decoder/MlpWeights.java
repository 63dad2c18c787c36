package clickseg.decoder;

/** SAM's MLP: Linear layers with ReLU between them (none after the last), weights (in, out). */
final class MlpWeights {
    final int layers;
    final int[] inDims;
    final int[] outDims;
    final float[][][] weights; // [layer] (in) rows of (out)
    final float[][] biases;  // [layer] (out)

    MlpWeights(DecoderWeights w, String prefix, int layerCount, int[] dims) {
        layers = layerCount;
        inDims = new int[layerCount];
        outDims = new int[layerCount];
        weights = new float[layerCount][][];
        biases = new float[layerCount][];
        for (int l = 0; l < layerCount; l++) {
            inDims[l] = dims[l];
            outDims[l] = dims[l + 1];
            weights[l] = Linear.inOutRows(w.get(prefix + l + ".weight"), dims[l + 1], dims[l]);
            biases[l] = w.get(prefix + l + ".bias");
        }
    }

    /** x (in) → y (out); scratch a and b must hold the widest layer. Returns multiply-adds. */
    long forward(float[] x, int xOffset, float[] y, int yOffset, float[] a, float[] b, float[][] rowScratch) {
        long macs = 0;
        float[] src = x;
        int srcOffset = xOffset;
        for (int l = 0; l < layers; l++) {
            boolean last = l == layers - 1;
            float[] dst = last ? y : (l % 2 == 0 ? a : b);
            int dstOffset = last ? yOffset : 0;
            Linear.forward(src, srcOffset, 1, inDims[l], weights[l], biases[l], outDims[l], dst, dstOffset, rowScratch);
            macs += (long) inDims[l] * outDims[l];
            if (!last) {
                Linear.relu(dst, dstOffset, outDims[l]);
            }
            src = dst;
            srcOffset = dstOffset;
        }
        return macs;
    }
}
