package clickseg.web.js;

import clickseg.mask.BinaryMask;
import clickseg.mask.MaskPolygon;
import clickseg.mask.MaskUpsampler;
import clickseg.prompt.CoordinateTransform;
import clickseg.web.session.DecodedMasks;
import clickseg.web.session.Session;
import java.util.List;

/**
 * The mask on screen and what exports read: the current step's mask at image size (area, exports),
 * its fill on the display grid, and its outline. A decoded mask is upsampled and traced from the
 * decoder's logits; a mask that came as pixels (a share, a pick from everything) is traced from
 * its own pixels, so both outlines are smooth.
 */
final class MaskLayer {
    /** Longest side of a hover preview mask; the committed mask is always full resolution. */
    private static final int HOVER_GRID_LIMIT = 1024;
    /** Largest side a pixel mask is traced at (its outline's step stays under a screen pixel). */
    private static final int TRACE_LIMIT = 2048;

    private final CanvasView view;
    private MaskUpsampler upsampler;
    private BinaryMask mask;      // image size; null when there is no mask
    private BinaryMask fill;      // display grid
    private BinaryMask hoverFill; // display grid, at most HOVER_GRID_LIMIT
    private long area;
    private List<float[]> rings = List.of();
    private BinaryMask tracedFixed;  // the pixel mask the rings below belong to
    private List<float[]> fixedRings = List.of();

    MaskLayer(CanvasView view) {
        this.view = view;
    }

    /** A new image: its size decides the upsampling. */
    void setImage(CoordinateTransform transform) {
        upsampler = new MaskUpsampler(transform);
        mask = null;
        fill = null;
        hoverFill = null;
        area = 0;
        rings = List.of();
        tracedFixed = null;
        fixedRings = List.of();
    }

    BinaryMask mask() {
        return area > 0 ? mask : null;
    }

    long area() {
        return area;
    }

    List<float[]> rings() {
        return rings;
    }

    /** Shows the session's current mask (or none). */
    void showCurrent(Session session) {
        BinaryMask fixed = session.currentFixedMask();
        DecodedMasks decoded = session.currentMasks();
        if (upsampler == null || (fixed == null && decoded == null)) {
            mask = null;
            area = 0;
            rings = List.of();
            view.showMask(null, 0, null, false);
            return;
        }
        if (fixed != null) {
            mask = fixed;
            area = fixed.area();
            if (fixed != tracedFixed) {
                tracedFixed = fixed;
                fixedRings = MaskPolygon.traceMask(fixed, TRACE_LIMIT);
            }
            rings = fixedRings;
            view.showMask(fixed, area, rings, false);
            return;
        }
        int w = upsampler.transform().originalWidth();
        int h = upsampler.transform().originalHeight();
        if (mask == null || mask == tracedFixed || mask.width() != w || mask.height() != h) {
            mask = new BinaryMask(w, h); // never written into a share's or a pick's own pixels
        }
        area = upsampler.toMask(decoded.lowResLogits, decoded.chosenOffset(), mask);
        rings = MaskPolygon.trace(decoded.lowResLogits, decoded.chosenOffset(), upsampler.transform());
        repaintFill(session);
    }

    /**
     * Paints a decoded mask on the display grid (the same surface the full-size mask thresholds, sampled
     * once per device pixel); called again when zoom changes that grid.
     */
    void repaintFill(Session session) {
        DecodedMasks decoded = session.currentMasks();
        if (decoded == null || upsampler == null || mask == null) {
            return;
        }
        int[] grid = view.maskGrid(Integer.MAX_VALUE);
        BinaryMask shown = mask;
        if (grid[0] != mask.width() || grid[1] != mask.height()) {
            if (fill == null || fill.width() != grid[0] || fill.height() != grid[1]) {
                fill = new BinaryMask(grid[0], grid[1]);
            }
            upsampler.toMask(decoded.lowResLogits, decoded.chosenOffset(), fill);
            shown = fill;
        }
        view.showMask(shown, area, rings, false);
    }

    /** A hover preview's chosen mask at screen resolution; returns its area on that grid. */
    long showHover(DecodedMasks masks) {
        int[] grid = view.maskGrid(HOVER_GRID_LIMIT);
        if (hoverFill == null || hoverFill.width() != grid[0] || hoverFill.height() != grid[1]) {
            hoverFill = new BinaryMask(grid[0], grid[1]);
        }
        long hoverArea = upsampler.toMask(masks.lowResLogits, masks.chosenOffset(), hoverFill);
        List<float[]> hoverRings = MaskPolygon.trace(masks.lowResLogits, masks.chosenOffset(), upsampler.transform());
        view.showMask(hoverFill, hoverArea, hoverRings, true);
        return hoverArea;
    }
}
