package clickseg.server.web;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;

import java.io.IOException;
import java.util.Locale;

/**
 * A request that failed in transport rather than in our code: the client went away mid-body, or Jetty refused
 * what it was sending (too slow for the minimum data rate, malformed chunking). These are the client's doing,
 * so they get a 4xx and one INFO line, never a 500 with a stack trace.
 *
 * @param status  the answer's status (Jetty's own code when it named one)
 * @param error   the JSON error code
 * @param message what happened, for the answer and the log line
 * @param clientGone the client closed the connection: nobody will read the answer
 */
public record TransportFailure(int status, String error, String message, boolean clientGone) {

    /** What {@code failure} was, or null when it was not a transport failure (a bug or server fault). */
    public static TransportFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                int code = http.getCode();
                String reason = http.getReason() == null ? t.getMessage() : http.getReason();
                return new TransportFailure(code, code == 408 ? "request_timeout" : code == 413 ? "payload_too_large"
                        : "bad_request", "the request body was refused: " + reason, false);
            }
            if (t instanceof EofException || isReset(t)) {
                return new TransportFailure(400, "client_disconnected",
                        "the client closed the connection before the request body ended", true);
            }
        }
        return null;
    }

    private static boolean isReset(Throwable t) {
        if (!(t instanceof IOException)) {
            return false;
        }
        String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("connection reset") || message.contains("broken pipe") || message.contains("early eof");
    }
}
