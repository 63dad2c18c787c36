package clickseg.decoder;

import clickseg.prompt.Prompt;
import clickseg.server.weights.OnnxDecoderWeights;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class DecoderSmokeTest {
    @Test
    void smoke() throws Exception {
        DecoderWeights w = OnnxDecoderWeights.read(Files.readAllBytes(TestModels.decoderOnnx()));
        MaskDecoder fast = new MaskDecoder(w);
        MaskDecoder slow = MaskDecoder.asWritten(w);
        var img = SyntheticImages.shapes(640, 480, 1);
        float[] emb = EncoderOracle.embed("syn1", img);
        OnnxOracle oracle = OnnxOracle.shared();
        for (MaskDecoder d : new MaskDecoder[] {slow, fast}) {
            ImageContext ctx = d.prepare(emb, 640, 480);
            for (Prompt p : new Prompt[] {Prompt.point(300, 200, 1), Prompt.point(300, 200, 1).withPoint(100, 100, 0),
                    Prompt.box(100, 100, 400, 300), Prompt.box(100, 100, 400, 300).withPoint(200, 200, 1)}) {
                DecoderResult r = new DecoderResult();
                long t0 = System.nanoTime();
                d.decode(ctx, p, null, r);
                long t1 = System.nanoTime();
                float[] coords = new float[2 * p.modelPointCount()];
                int[] labels = new int[p.modelPointCount()];
                p.toModelPoints(ctx.transform(), coords, labels);
                float[] fl = new float[labels.length];
                for (int i = 0; i < fl.length; i++) fl[i] = labels[i];
                OnnxOracle.Output o = oracle.run(emb, coords, fl, labels.length, null, 640, 480);
                double maxMask = 0, maxIou = 0;
                for (int i = 0; i < o.allMasks().length; i++) maxMask = Math.max(maxMask, Math.abs(o.allMasks()[i] - r.lowResLogits[i]));
                for (int i = 0; i < 4; i++) maxIou = Math.max(maxIou, Math.abs(o.allIous()[i] - r.iou[i]));
                System.out.printf("ms=%.1f macs=%d maxMask=%.3g maxIou=%.3g sel=%d iou=%s ort=%s%n", (t1 - t0) / 1e6, r.multiplyAdds(), maxMask, maxIou,
                        r.selected(), java.util.Arrays.toString(r.iou), java.util.Arrays.toString(o.allIous()));
                // with mask input
                DecoderResult r2 = new DecoderResult();
                float[] prev = new float[65536];
                r.copyLogits(r.selected(), prev);
                d.decode(ctx, p, prev, r2);
                OnnxOracle.Output o2 = oracle.run(emb, coords, fl, labels.length, prev, 640, 480);
                maxMask = 0; maxIou = 0;
                for (int i = 0; i < o2.allMasks().length; i++) maxMask = Math.max(maxMask, Math.abs(o2.allMasks()[i] - r2.lowResLogits[i]));
                for (int i = 0; i < 4; i++) maxIou = Math.max(maxIou, Math.abs(o2.allIous()[i] - r2.iou[i]));
                System.out.printf("  withmask maxMask=%.3g maxIou=%.3g%n", maxMask, maxIou);
            }
        }
    }
}
