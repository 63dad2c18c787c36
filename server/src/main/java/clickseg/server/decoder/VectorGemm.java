package clickseg.server.decoder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The server's matrix product, c (m, n) += a (m, k) · w (k, n), written with the JDK's Vector API so
 * that a 4 × 4-vector tile of c stays in registers for a whole block of the reduction: each weight
 * vector loaded is used by four rows of a, each broadcast value of a by four vectors of w. HotSpot's
 * own vectoriser only handles innermost loops over arrays, so the plain Java kernels load and store
 * the accumulators on every step; this tile does not (measured on a 4096 × 256 × 256 product on one
 * core: about 80 vs 8 G multiply-adds per second).
 *
 * <p>a is read through strides, so the same kernel takes a matrix or its transpose:
 * a(i, p) = a[aOff + i·aRow + p·aCol]. w and c are row-major: w(p, j) = w[wOff + p·n + j],
 * c(i, j) = c[cOff + i·cRow + j]. The reduction runs in blocks of {@value #K_BLOCK} so that the
 * rows of w a block reads stay in the core's cache while every tile of c passes over them.
 */
final class VectorGemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final int K_BLOCK = 128;

    private VectorGemm() {
    }

    /**
     * c = (accumulate ? c : 0) + bias + a · w.
     *
     * @param bias (n) added to every row, or null
     */
    static void multiply(float[] a, int aOff, int aRow, int aCol, int m, int k, float[] w, int wOff, int n,
                         float[] bias, boolean accumulate, float[] c, int cOff, int cRow) {
        if (!accumulate || bias != null) {
            FloatVector zero = FloatVector.zero(S);
            for (int i = 0; i < m; i++) {
                int o = cOff + i * cRow;
                int j = 0;
                for (; j + L <= n; j += L) {
                    FloatVector start = accumulate ? FloatVector.fromArray(S, c, o + j) : zero;
                    (bias == null ? start : start.add(FloatVector.fromArray(S, bias, j))).intoArray(c, o + j);
                }
                for (; j < n; j++) {
                    float start = accumulate ? c[o + j] : 0f;
                    c[o + j] = bias == null ? start : start + bias[j];
                }
            }
        }
        for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
            int p1 = Math.min(k, p0 + K_BLOCK);
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                fourRows(a, aOff + i * aRow, aRow, aCol, p0, p1, w, wOff, n, c, cOff + i * cRow, cRow);
            }
            for (; i < m; i++) {
                oneRow(a, aOff + i * aRow, aCol, p0, p1, w, wOff, n, c, cOff + i * cRow);
            }
        }
    }

    /** Rows a0..a0+3·aRow of a against w's reduction rows [p0, p1), into c's four rows at c0. */
    private static void fourRows(float[] a, int a0, int aRow, int aCol, int p0, int p1, float[] w, int wOff, int n,
                                 float[] c, int c0, int cRow) {
        int a1 = a0 + aRow;
        int a2 = a1 + aRow;
        int a3 = a2 + aRow;
        int r1 = c0 + cRow;
        int r2 = r1 + cRow;
        int r3 = r2 + cRow;
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector c00 = FloatVector.fromArray(S, c, c0 + j);
            FloatVector c01 = FloatVector.fromArray(S, c, c0 + j + L);
            FloatVector c02 = FloatVector.fromArray(S, c, c0 + j + 2 * L);
            FloatVector c03 = FloatVector.fromArray(S, c, c0 + j + 3 * L);
            FloatVector c10 = FloatVector.fromArray(S, c, r1 + j);
            FloatVector c11 = FloatVector.fromArray(S, c, r1 + j + L);
            FloatVector c12 = FloatVector.fromArray(S, c, r1 + j + 2 * L);
            FloatVector c13 = FloatVector.fromArray(S, c, r1 + j + 3 * L);
            FloatVector c20 = FloatVector.fromArray(S, c, r2 + j);
            FloatVector c21 = FloatVector.fromArray(S, c, r2 + j + L);
            FloatVector c22 = FloatVector.fromArray(S, c, r2 + j + 2 * L);
            FloatVector c23 = FloatVector.fromArray(S, c, r2 + j + 3 * L);
            FloatVector c30 = FloatVector.fromArray(S, c, r3 + j);
            FloatVector c31 = FloatVector.fromArray(S, c, r3 + j + L);
            FloatVector c32 = FloatVector.fromArray(S, c, r3 + j + 2 * L);
            FloatVector c33 = FloatVector.fromArray(S, c, r3 + j + 3 * L);
            for (int p = p0; p < p1; p++) {
                int wo = wOff + p * n + j;
                FloatVector w0 = FloatVector.fromArray(S, w, wo);
                FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
                FloatVector w2 = FloatVector.fromArray(S, w, wo + 2 * L);
                FloatVector w3 = FloatVector.fromArray(S, w, wo + 3 * L);
                int ap = p * aCol;
                FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
                c00 = w0.fma(x, c00);
                c01 = w1.fma(x, c01);
                c02 = w2.fma(x, c02);
                c03 = w3.fma(x, c03);
                x = FloatVector.broadcast(S, a[a1 + ap]);
                c10 = w0.fma(x, c10);
                c11 = w1.fma(x, c11);
                c12 = w2.fma(x, c12);
                c13 = w3.fma(x, c13);
                x = FloatVector.broadcast(S, a[a2 + ap]);
                c20 = w0.fma(x, c20);
                c21 = w1.fma(x, c21);
                c22 = w2.fma(x, c22);
                c23 = w3.fma(x, c23);
                x = FloatVector.broadcast(S, a[a3 + ap]);
                c30 = w0.fma(x, c30);
                c31 = w1.fma(x, c31);
                c32 = w2.fma(x, c32);
                c33 = w3.fma(x, c33);
            }
            c00.intoArray(c, c0 + j);
            c01.intoArray(c, c0 + j + L);
            c02.intoArray(c, c0 + j + 2 * L);
            c03.intoArray(c, c0 + j + 3 * L);
            c10.intoArray(c, r1 + j);
            c11.intoArray(c, r1 + j + L);
            c12.intoArray(c, r1 + j + 2 * L);
            c13.intoArray(c, r1 + j + 3 * L);
            c20.intoArray(c, r2 + j);
            c21.intoArray(c, r2 + j + L);
            c22.intoArray(c, r2 + j + 2 * L);
            c23.intoArray(c, r2 + j + 3 * L);
            c30.intoArray(c, r3 + j);
            c31.intoArray(c, r3 + j + L);
            c32.intoArray(c, r3 + j + 2 * L);
            c33.intoArray(c, r3 + j + 3 * L);
        }
        for (; j + 2 * L <= n; j += 2 * L) {
            FloatVector c00 = FloatVector.fromArray(S, c, c0 + j);
            FloatVector c01 = FloatVector.fromArray(S, c, c0 + j + L);
            FloatVector c10 = FloatVector.fromArray(S, c, r1 + j);
            FloatVector c11 = FloatVector.fromArray(S, c, r1 + j + L);
            FloatVector c20 = FloatVector.fromArray(S, c, r2 + j);
            FloatVector c21 = FloatVector.fromArray(S, c, r2 + j + L);
            FloatVector c30 = FloatVector.fromArray(S, c, r3 + j);
            FloatVector c31 = FloatVector.fromArray(S, c, r3 + j + L);
            for (int p = p0; p < p1; p++) {
                int wo = wOff + p * n + j;
                FloatVector w0 = FloatVector.fromArray(S, w, wo);
                FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
                int ap = p * aCol;
                FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
                c00 = w0.fma(x, c00);
                c01 = w1.fma(x, c01);
                x = FloatVector.broadcast(S, a[a1 + ap]);
                c10 = w0.fma(x, c10);
                c11 = w1.fma(x, c11);
                x = FloatVector.broadcast(S, a[a2 + ap]);
                c20 = w0.fma(x, c20);
                c21 = w1.fma(x, c21);
                x = FloatVector.broadcast(S, a[a3 + ap]);
                c30 = w0.fma(x, c30);
                c31 = w1.fma(x, c31);
            }
            c00.intoArray(c, c0 + j);
            c01.intoArray(c, c0 + j + L);
            c10.intoArray(c, r1 + j);
            c11.intoArray(c, r1 + j + L);
            c20.intoArray(c, r2 + j);
            c21.intoArray(c, r2 + j + L);
            c30.intoArray(c, r3 + j);
            c31.intoArray(c, r3 + j + L);
        }
        for (; j + L <= n; j += L) {
            FloatVector c0v = FloatVector.fromArray(S, c, c0 + j);
            FloatVector c1v = FloatVector.fromArray(S, c, r1 + j);
            FloatVector c2v = FloatVector.fromArray(S, c, r2 + j);
            FloatVector c3v = FloatVector.fromArray(S, c, r3 + j);
            for (int p = p0; p < p1; p++) {
                FloatVector wv = FloatVector.fromArray(S, w, wOff + p * n + j);
                int ap = p * aCol;
                c0v = wv.fma(FloatVector.broadcast(S, a[a0 + ap]), c0v);
                c1v = wv.fma(FloatVector.broadcast(S, a[a1 + ap]), c1v);
                c2v = wv.fma(FloatVector.broadcast(S, a[a2 + ap]), c2v);
                c3v = wv.fma(FloatVector.broadcast(S, a[a3 + ap]), c3v);
            }
            c0v.intoArray(c, c0 + j);
            c1v.intoArray(c, r1 + j);
            c2v.intoArray(c, r2 + j);
            c3v.intoArray(c, r3 + j);
        }
        for (; j < n; j++) { // fewer than L columns left (callers pad n to a multiple of L where it matters)
            float s0 = c[c0 + j];
            float s1 = c[r1 + j];
            float s2 = c[r2 + j];
            float s3 = c[r3 + j];
            for (int p = p0; p < p1; p++) {
                float wv = w[wOff + p * n + j];
                int ap = p * aCol;
                s0 += a[a0 + ap] * wv;
                s1 += a[a1 + ap] * wv;
                s2 += a[a2 + ap] * wv;
                s3 += a[a3 + ap] * wv;
            }
            c[c0 + j] = s0;
            c[r1 + j] = s1;
            c[r2 + j] = s2;
            c[r3 + j] = s3;
        }
    }

    /** The leftover rows (m not a multiple of four), one at a time. */
    private static void oneRow(float[] a, int a0, int aCol, int p0, int p1, float[] w, int wOff, int n, float[] c,
                               int c0) {
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector acc = FloatVector.fromArray(S, c, c0 + j);
            for (int p = p0; p < p1; p++) {
                acc = FloatVector.fromArray(S, w, wOff + p * n + j).fma(FloatVector.broadcast(S, a[a0 + p * aCol]), acc);
            }
            acc.intoArray(c, c0 + j);
        }
        for (; j < n; j++) {
            float s = c[c0 + j];
            for (int p = p0; p < p1; p++) {
                s += a[a0 + p * aCol] * w[wOff + p * n + j];
            }
            c[c0 + j] = s;
        }
    }
}
