package clickseg.everything;

import clickseg.decoder.DecoderResult;
import clickseg.decoder.ImageContext;
import clickseg.decoder.MaskDecoder;
import clickseg.prompt.Prompt;

import java.util.ArrayList;
import java.util.List;

/**
 * "Segment everything" by SAM's published method (SamAutomaticMaskGenerator): a grid of single
 * foreground points (or the same grid coarse to fine, {@link CoverageGuidedGrid}), each decoded with
 * multimask output; masks kept by predicted IoU and stability;
 * duplicates removed by box NMS; optionally again on crops of the image; small islands and holes
 * cleaned up. This is the single-threaded driver (a browser worker, tests); a server can run
 * {@link CandidateCollector} on several threads and finish with {@link MaskSelection} itself.
 *
 * <p>The per-image work shared by all points (image tokens, the first block's key, value and query
 * projections) is done once by {@link MaskDecoder#prepare}; every point reuses that context.
 */
public final class AutomaticMaskGenerator {
    /** The embedding of a crop, (256, 64, 64), for crop layers above 0 (encoding is the caller's business). */
    public interface CropEmbeddings {
        float[] embedding(CropBox crop);
    }

    private AutomaticMaskGenerator() {
    }

    /**
     * @param wholeImage the context {@link MaskDecoder#prepare} made for the whole image at its original size
     * @param crops      embeddings of crops; may be null when parameters.cropLayers() is 0
     */
    public static List<GeneratedMask> generate(MaskDecoder decoder, ImageContext wholeImage, EverythingParameters parameters,
                                               CropEmbeddings crops) {
        parameters.validated(EverythingParameters.MAX_POINTS_PER_SIDE);
        int width = wholeImage.transform().originalWidth();
        int height = wholeImage.transform().originalHeight();
        if (parameters.cropLayers() > 0 && crops == null) {
            throw new IllegalArgumentException("crop layers need a source of crop embeddings");
        }
        List<CropBox> boxes = CropBox.layers(width, height, parameters.cropLayers(), parameters.cropOverlapRatio());
        List<List<GeneratedMask>> perCrop = new ArrayList<>();
        DecoderResult result = new DecoderResult();
        for (CropBox crop : boxes) {
            ImageContext context = crop.layer() == 0 ? wholeImage
                    : decoder.prepare(crops.embedding(crop), crop.width(), crop.height());
            CandidateCollector collector = new CandidateCollector(parameters, crop, width, height);
            List<GeneratedMask> candidates = new ArrayList<>();
            CoverageGuidedGrid grid = new CoverageGuidedGrid(crop.width(), crop.height(),
                    parameters.pointsPerSide(crop.layer()), parameters.gridLevels());
            while (!grid.done()) {
                float[] points = grid.nextLevel();
                for (int p = 0; p < points.length / 2; p++) {
                    float x = points[2 * p];
                    float y = points[2 * p + 1];
                    decoder.decode(context, Prompt.point(x, y, Prompt.FOREGROUND), null, result);
                    CandidateCollector.cover(grid, result, collector.collect(result, x, y, candidates));
                }
            }
            perCrop.add(candidates);
        }
        return MaskSelection.select(perCrop, boxes, parameters, width, height);
    }
}
