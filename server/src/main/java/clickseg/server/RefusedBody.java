package clickseg.server;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The rest of a request body the server has decided to refuse (413), read and thrown away.
 *
 * <p>Why: a client that does not use {@code Expect: 100-continue} (every browser) is still sending when the
 * 413 is ready. If the server answers and closes with unread bytes in its socket buffer, the kernel resets
 * the connection and the client sees a network error instead of the JSON that says what was wrong. Reading
 * the remainder first lets the answer arrive. It is bounded: past {@link #MAX_DISCARDED_BYTES} the server
 * stops reading, so a huge body cannot keep a request thread busy. The answer always closes the connection:
 * after a refused body (a multipart parser that gave up mid-part, a stream cut at the bound) the container
 * may not be able to tell where the next request starts, and a client that reused the connection would
 * see it closed under its next request.
 */
public final class RefusedBody {
    /** Bytes read and dropped at most per refused request (64 MiB, about a second on a LAN). */
    static final long MAX_DISCARDED_BYTES = 64L << 20;

    private RefusedBody() {
    }

    /**
     * The whole body of a request that may carry at most {@code maxBytes}, or 413 {@code payload_too_large}
     * (with the rest of the body read away first) naming {@code what} was too large.
     *
     * @param what the kind of request, for the message: "a share", "a segment request"
     */
    public static byte[] readAtMost(Context ctx, int maxBytes, String what) {
        long declared = ctx.contentLength();
        if (declared <= maxBytes) {
            byte[] bytes;
            try (InputStream in = ctx.bodyInputStream()) {
                bytes = in.readNBytes(maxBytes + 1); // a chunked body declares no length: count it
            } catch (IOException e) {
                throw new UncheckedIOException("the request body could not be read", e);
            }
            if (bytes.length <= maxBytes) {
                return bytes;
            }
        }
        discard(ctx);
        throw new ApiException(413, "payload_too_large", "body: " + (declared > 0 ? declared + " bytes " : "")
                + "is larger than " + what + " may be (" + maxBytes + " bytes)");
    }

    /** Reads what is left of the body unless it declares more than the bound, and closes the connection after the answer. */
    public static void discard(Context ctx) {
        ctx.header("Connection", "close");
        long declared = ctx.contentLength();
        if (declared > MAX_DISCARDED_BYTES) {
            return;
        }
        byte[] sink = new byte[64 << 10];
        long left = MAX_DISCARDED_BYTES;
        try (InputStream in = ctx.req().getInputStream()) {
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or the container refused the rest itself: nothing more to read.
        }
    }
}
