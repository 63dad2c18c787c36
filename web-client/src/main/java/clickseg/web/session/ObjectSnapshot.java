package clickseg.web.session;

import clickseg.mask.BinaryMask;
import clickseg.prompt.Prompt;

/**
 * An object as stored outside the session (a share, the browser's storage): its label, the prompt
 * that made its mask, which decoder mask was kept (0..3, or -1), the mask as pixels and whether it
 * is hidden. Restored objects start from it as their first step, like a share's mask.
 */
public record ObjectSnapshot(int id, String label, Prompt prompt, int maskIndex, BinaryMask mask, boolean hidden) {
}
