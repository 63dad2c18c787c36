package clickseg.server.everything;

import java.util.Map;

/**
 * How much "segment everything" work the server takes on, from CLICKSEG_EVERYTHING_* environment
 * variables (the server's flags stay the server's; these bound one feature).
 *
 * @param threads          decoder threads, each with its own MaskDecoder scratch (CLICKSEG_EVERYTHING_THREADS, all cores)
 * @param maxPointsPerSide largest accepted grid side (CLICKSEG_EVERYTHING_MAX_GRID, 64)
 * @param jobs             image jobs that run at once, sharing the decoder threads (CLICKSEG_EVERYTHING_JOBS, 1)
 * @param queue            image jobs that may wait behind the running ones before 503 (CLICKSEG_EVERYTHING_QUEUE, 16)
 * @param cacheEntries     results kept per (image, parameters) (CLICKSEG_EVERYTHING_CACHE, 64)
 * @param maxBatchImages   images in one batch request (CLICKSEG_EVERYTHING_MAX_BATCH, 100)
 */
public record EverythingConfig(int threads, int maxPointsPerSide, int jobs, int queue, int cacheEntries, int maxBatchImages) {

    /** @throws IllegalArgumentException naming the bad variable */
    public static EverythingConfig fromEnvironment(Map<String, String> env, int cores) {
        return new EverythingConfig(
                number(env, "CLICKSEG_EVERYTHING_THREADS", Math.max(1, cores), 1, 256),
                number(env, "CLICKSEG_EVERYTHING_MAX_GRID", 64, 1, 256),
                number(env, "CLICKSEG_EVERYTHING_JOBS", 1, 1, 64),
                number(env, "CLICKSEG_EVERYTHING_QUEUE", 16, 0, 10_000),
                number(env, "CLICKSEG_EVERYTHING_CACHE", 64, 0, 100_000),
                number(env, "CLICKSEG_EVERYTHING_MAX_BATCH", 100, 1, 100_000));
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": \"" + text + "\" is not a whole number");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " is outside " + min + ".." + max);
        }
        return value;
    }
}
