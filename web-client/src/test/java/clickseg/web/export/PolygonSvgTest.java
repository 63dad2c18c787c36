package clickseg.web.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolygonSvgTest {
    private static String formatted(float value) {
        StringBuilder out = new StringBuilder();
        PolygonSvg.appendHundredths(out, value);
        return out.toString();
    }

    @Test
    void coordinates_are_plain_decimals_to_a_hundredth_without_exponents() {
        assertEquals("12.5", formatted(12.5f));
        assertEquals("0.01", formatted(0.0123f));
        assertEquals("0", formatted(0.0001f));
        assertEquals("-3.07", formatted(-3.07f));
        assertEquals("640", formatted(640f));
    }

    @Test
    void each_ring_is_one_closed_subpath_of_an_even_odd_filled_path_over_the_image() {
        float[] outer = {0, 0, 10, 0, 10, 10, 0, 10};
        float[] hole = {3, 3, 3, 6, 6, 6, 6, 3};
        String svg = PolygonSvg.document(List.of(outer, hole), 20, 15);
        assertTrue(svg.contains("viewBox=\"0 0 20 15\""), svg);
        assertTrue(svg.contains("fill-rule=\"evenodd\""), svg);
        assertTrue(svg.contains("d=\"M0 0L10 0L10 10L0 10ZM3 3L3 6L6 6L6 3Z\""), svg);
    }
}
