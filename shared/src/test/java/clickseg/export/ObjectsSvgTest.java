package clickseg.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.mask.BinaryMask;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ObjectsSvgTest {
    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void each_object_is_one_even_odd_path_in_its_colour_titled_with_its_escaped_label() throws Exception {
        BinaryMask tyre = TestShapes.ring(100, 80, 50, 40, 30, 10);
        BinaryMask dot = TestShapes.disc(100, 80, 10, 10, 4);
        String label = "<script>alert('x')</script> & \"co\"";
        ExportImage image = new ExportImage("a.jpg", 100, 80, List.of(ExportObject.ofMask(1, label, 0xff8800, tyre),
                ExportObject.ofMask(2, "dot", 0x0000ff, dot), ExportObject.ofMask(3, "none", 0, new BinaryMask(100, 80))));
        Document svg = parse(ObjectsSvg.document(image, 1.0));
        assertEquals("0 0 100 80", svg.getDocumentElement().getAttribute("viewBox"));
        NodeList paths = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path");
        assertEquals(2, paths.getLength(), "the empty object has no path");
        Element first = (Element) paths.item(0);
        assertEquals("#ff8800", first.getAttribute("fill"));
        assertEquals("evenodd", first.getAttribute("fill-rule"));
        assertEquals("1", first.getAttribute("data-object-id"));
        assertEquals(label, first.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").item(0).getTextContent());
        assertEquals(2, first.getAttribute("d").chars().filter(c -> c == 'M').count(), "outline and hole");
    }

    @Test
    void the_single_mask_outline_is_one_path_of_closed_subpaths_in_plain_decimals() throws Exception {
        float[] outer = {0, 0, 10, 0, 10, 10, 0, 10};
        float[] hole = {3, 3, 3, 6, 6, 6, 6, 3};
        String svg = ObjectsSvg.outline(List.of(outer, hole), 20, 15);
        parse(svg);
        assertTrue(svg.contains("viewBox=\"0 0 20 15\""), svg);
        assertTrue(svg.contains("fill-rule=\"evenodd\""), svg);
        assertTrue(svg.contains("d=\"M0 0L10 0L10 10L0 10ZM3 3L3 6L6 6L6 3Z\""), svg);
    }

    @Test
    void coordinates_are_plain_decimals_without_exponents() {
        assertEquals("12.5", Decimals.of(12.5f, 2));
        assertEquals("0.01", Decimals.of(0.0123f, 2));
        assertEquals("0", Decimals.of(0.0001f, 2));
        assertEquals("-3.07", Decimals.of(-3.07f, 2));
        assertEquals("640", Decimals.of(640f, 2));
        assertEquals("0.000001", Decimals.of(1e-6, 6));
        assertEquals("0.333333", Decimals.of(1 / 3.0, 6));
        assertEquals("1", Decimals.of(0.9999999, 6));
    }
}
