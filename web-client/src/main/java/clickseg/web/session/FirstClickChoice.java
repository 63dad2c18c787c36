package clickseg.web.session;

import clickseg.prompt.Prompt;
import clickseg.mask.FirstClickPick;
import clickseg.prompt.CoordinateTransform;

/**
 * The page's side of {@link FirstClickPick}: after a lone foreground click with nothing to refine,
 * the shown candidate is the one the shared rule picks (the server's {@code /segment} picks the same),
 * instead of the decoder's best predicted IoU.
 */
public final class FirstClickChoice {
    private FirstClickChoice() {
    }

    /** Whether a decode of this prompt, with or without mask input, gets its first mask from the rule. */
    public static boolean applies(Prompt prompt, boolean hasMaskInput) {
        return !hasMaskInput && !prompt.hasBox() && prompt.pointCount() == 1
                && prompt.pointLabel(0) == Prompt.FOREGROUND;
    }

    /** Chooses the rule's mask in {@code masks} when it {@link #applies}; otherwise leaves the decoder's choice. */
    public static void apply(DecodedMasks masks, Prompt prompt, boolean hasMaskInput, CoordinateTransform transform) {
        if (!applies(prompt, hasMaskInput)) {
            return;
        }
        masks.choose(FirstClickPick.DEFAULT.pick(masks.lowResLogits, masks.iou, masks.stability,
                transform.toModelX(prompt.pointX(0)), transform.toModelY(prompt.pointY(0)), transform.resizedWidth(),
                transform.resizedHeight()));
    }

    /** Each candidate's share of the image, 0..1, indexed like the masks (index 0 left at 0). */
    public static double[] areaFractions(DecodedMasks masks, CoordinateTransform transform) {
        double[] fractions = new double[DecodedMasks.MASKS];
        for (int m = 1; m < DecodedMasks.MASKS; m++) {
            fractions[m] = FirstClickPick.areaFraction(masks.lowResLogits, m * DecodedMasks.LOW_RES_AREA,
                    transform.resizedWidth(), transform.resizedHeight());
        }
        return fractions;
    }
}
