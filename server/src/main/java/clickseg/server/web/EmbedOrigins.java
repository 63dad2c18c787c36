package clickseg.server.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which other web sites may embed the segmenter (frame /embed/* and /s/* pages) and read the API from
 * their own pages (CORS): any site ({@code "*"}, the default, since embedding is the point), or a list of
 * origins such as {@code https://blog.example,https://shop.example:8443}.
 *
 * <p>An origin is written the way browsers send it in the {@code Origin} header: scheme, host and a port
 * only when it is not the scheme's default, no path and no trailing slash. Anything else is refused at
 * startup, because a list entry that can never match would silently lock a site out.
 */
public final class EmbedOrigins {
    public static final EmbedOrigins ANY = new EmbedOrigins(true, List.of());

    private final boolean any;
    private final List<String> origins; // normalized, in the order given
    private final Set<String> lookup;

    private EmbedOrigins(boolean any, List<String> origins) {
        this.any = any;
        this.origins = List.copyOf(origins);
        this.lookup = Set.copyOf(origins);
    }

    /**
     * @param text "*" or origins separated by commas
     * @throws IllegalArgumentException naming the entry that is not an origin and saying why
     */
    public static EmbedOrigins parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.equals("*")) {
            return ANY;
        }
        Set<String> origins = new LinkedHashSet<>();
        for (String entry : trimmed.split(",", -1)) {
            String origin = entry.trim();
            if (origin.isEmpty()) {
                throw new IllegalArgumentException("an empty entry in \"" + text + "\" (write \"*\" or origins separated by commas)");
            }
            if (origin.equals("*")) {
                throw new IllegalArgumentException("\"*\" cannot be mixed with origins in \"" + text + "\"");
            }
            origins.add(normalize(origin));
        }
        return new EmbedOrigins(false, new ArrayList<>(origins));
    }

    /** scheme://host[:port] in lower case with the default port dropped, or an exception saying what is wrong. */
    private static String normalize(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + origin + "\" is not an origin: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("\"" + origin + "\" is not an origin: write it as https://host or http://host:port");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("\"" + origin + "\" is not an origin: it names no plain host");
        }
        if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("\"" + origin + "\" is not an origin: remove the path, query or trailing slash");
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** Whether any site may embed and call the API. */
    public boolean any() {
        return any;
    }

    /** The listed origins (empty when {@link #any()}). */
    public List<String> origins() {
        return origins;
    }

    /** Whether a browser's {@code Origin} header names a site that may embed and call the API. */
    public boolean allows(String origin) {
        if (origin == null) {
            return false;
        }
        if (any) {
            return true;
        }
        try {
            return lookup.contains(normalize(origin));
        } catch (IllegalArgumentException e) {
            return false; // "null" (sandboxed frames, file:) or garbage
        }
    }

    /** The CSP frame-ancestors sources for pages made to be embedded. */
    public String frameAncestors() {
        return any ? "*" : "'self' " + String.join(" ", origins);
    }

    @Override
    public String toString() {
        return any ? "*" : String.join(",", origins);
    }
}
