package clickseg.web.js;

import java.util.List;

/**
 * One object as the canvas draws it over the image: its outline rings (image pixels), its colour, its
 * name, where the name tag goes (the top-left of its bounding box, image pixels) and whether it is the
 * current object (drawn by the mask layer itself, only its tag comes from here).
 */
record ObjectShape(int id, List<float[]> rings, String colour, String name, double tagX, double tagY,
                   boolean selected) {
}
