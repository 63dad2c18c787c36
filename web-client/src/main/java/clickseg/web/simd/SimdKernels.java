package clickseg.web.simd;

import org.teavm.interop.Import;

/**
 * The functions of the WebAssembly SIMD module (web-client/src/main/simd/image-kernels.wat), which
 * worker.js instantiates on TeaVM's own linear memory and hands to the WebAssembly GC module as the
 * import namespace {@value #MODULE}. Calls go from WebAssembly to WebAssembly, no JavaScript between.
 * Pointers are byte addresses in that memory, sizes and strides are in floats.
 */
final class SimdKernels {
    static final String MODULE = "clicksegSimd";

    private SimdKernels() {
    }

    /** C (m, n) = [C +] A (m, k) · B (k, n); A[i][p] at a + 4·(i·ars + p·acs). n a multiple of 4. */
    @Import(module = MODULE, name = "gemm")
    static native void gemm(int a, int ars, int acs, int b, int ldb, int c, int ldc, int m, int k, int n,
                            int accumulate);

    /** dst = x + y over count floats (a multiple of 4). */
    @Import(module = MODULE, name = "add")
    static native void add(int x, int y, int dst, int count);

    /** dst (m, n) = x (m, n) + row (n). */
    @Import(module = MODULE, name = "addRow")
    static native void addRow(int x, int row, int dst, int m, int n);

    /** Each row of x (m, n) normalised in place, then · w + b. */
    @Import(module = MODULE, name = "layerNorm")
    static native void layerNorm(int x, int m, int n, int w, int b, float eps);

    /** x (m, n) = GELU(x + bias) in place (bias 0: none), by interpolation in the table at table. */
    @Import(module = MODULE, name = "gelu")
    static native void gelu(int x, int m, int n, int bias, int table);
}
