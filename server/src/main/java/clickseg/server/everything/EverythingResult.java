package clickseg.server.everything;

import clickseg.everything.EverythingParameters;
import clickseg.everything.GeneratedMask;

import java.util.List;

/**
 * All masks of one image for one set of parameters, sorted by area (largest first), and what they cost.
 *
 * @param width  original image width (the masks' frame)
 * @param height original image height
 */
public record EverythingResult(String imageId, int width, int height, EverythingParameters parameters,
                               List<GeneratedMask> masks, Timing timing) {

    /**
     * Where the time of one generation went. Thread-seconds are summed over the decoder threads.
     *
     * @param seconds          wall-clock from start to result, without waiting in the queue
     * @param decoderSeconds   thread-seconds inside MaskDecoder.decode
     * @param collectSeconds   thread-seconds filtering, upsampling and run-length encoding kept masks
     * @param serialSeconds    seconds outside the decoder threads: embedding load, prepare, crop encodings, selection
     * @param cropEncodeSeconds part of serialSeconds spent encoding crops (0 without crop layers)
     * @param points           decoder runs (grid points over all crops)
     * @param candidates       masks that passed the IoU and stability filters, before NMS
     * @param threads          decoder threads used
     */
    public record Timing(double seconds, double decoderSeconds, double collectSeconds, double serialSeconds,
                         double cropEncodeSeconds, int points, long candidates, int threads,
                         double decoderCpuSeconds) {

        /** The decoder's share of all compute time spent on the image. */
        public double decoderShare() {
            double total = decoderSeconds + collectSeconds + serialSeconds;
            return total == 0 ? 0 : decoderSeconds / total;
        }
    }
}
