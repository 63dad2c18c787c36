package clickseg.bench.jvm;

import clickseg.prompt.Prompt;

/** Something that turns the clicks so far (and optionally the previous mask) into a mask: a decoder under test. */
interface InteractiveSegmenter {
    /**
     * @param prompt    all clicks so far, in original image pixels
     * @param maskInput (256, 256) the previous low-resolution logits to refine, or null for none
     * @param lowResOut (256, 256) receives the chosen mask's low-resolution logits (what a later click feeds back)
     * @param maskOut   (H, W) receives the chosen mask at the image's original size
     */
    void segment(Prompt prompt, float[] maskInput, float[] lowResOut, boolean[] maskOut) throws Exception;
}
