package clickseg.everything;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-image half of automatic mask generation: duplicates removed by box NMS within each crop
 * (score: predicted IoU), then between crops (score: the smaller crop wins, as SAM), then small
 * islands removed and small holes filled, with a last NMS that prefers masks the clean-up left
 * unchanged (SAM's postprocess_small_regions). The result is sorted by area, largest first.
 */
public final class MaskSelection {
    private MaskSelection() {
    }

    /**
     * @param perCrop candidates of each crop, in the order of crops
     */
    public static List<GeneratedMask> select(List<List<GeneratedMask>> perCrop, List<CropBox> crops,
                                             EverythingParameters parameters, int imageWidth, int imageHeight) {
        List<GeneratedMask> all = new ArrayList<>();
        for (List<GeneratedMask> candidates : perCrop) {
            float[] scores = new float[candidates.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = candidates.get(i).predictedIou();
            }
            all.addAll(BoxNms.keep(candidates, scores, parameters.boxNmsThreshold()));
        }
        if (crops.size() > 1) {
            float[] scores = new float[all.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = (float) (1.0 / all.get(i).crop().area());
            }
            all = BoxNms.keep(all, scores, parameters.cropNmsThreshold());
        }
        if (parameters.minRegionArea() > 0 && !all.isEmpty()) {
            SmallRegionCleanup cleanup = new SmallRegionCleanup(imageWidth, imageHeight, parameters.minRegionArea());
            List<GeneratedMask> cleaned = new ArrayList<>(all.size());
            List<Float> unchanged = new ArrayList<>(all.size());
            for (GeneratedMask mask : all) {
                GeneratedMask after = cleanup.apply(mask);
                if (after != null) {
                    cleaned.add(after);
                    unchanged.add(after == mask ? 1f : 0f);
                }
            }
            float[] scores = new float[cleaned.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = unchanged.get(i);
            }
            all = BoxNms.keep(cleaned, scores, parameters.boxNmsThreshold());
        }
        all.sort((a, b) -> Long.compare(b.area(), a.area()));
        return all;
    }
}
