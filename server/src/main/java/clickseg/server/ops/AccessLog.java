package clickseg.server.ops;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per answered request on the logger "clickseg.access": method, path, status, milliseconds and client
 * address as key-value pairs, so a JSON log line carries them as fields (with the request id beside them).
 * Off unless the log is JSON (--log-format json) or CLICKSEG_ACCESS_LOG names a level: a text log stays quiet.
 * The query string is left out: it may carry what its sender did not mean to have stored.
 */
public final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("clickseg.access");

    private AccessLog() {
    }

    public static void write(Context ctx, float millis) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        int status = ctx.statusCode();
        LOG.atInfo()
                .addKeyValue("method", ctx.method().name())
                .addKeyValue("path", ctx.path())
                .addKeyValue("status", status)
                .addKeyValue("millis", Math.round(millis * 10) / 10.0)
                .addKeyValue("client", ctx.ip())
                .log("{} {} {} in {} ms", ctx.method().name(), ctx.path(), status, Math.round(millis));
    }
}
