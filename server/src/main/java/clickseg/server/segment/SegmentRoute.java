package clickseg.server.segment;

import clickseg.server.ApiException;
import clickseg.server.DecoderTimeBudget;
import clickseg.server.JsonBody;
import clickseg.server.RefusedBody;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.javalin.http.Context;


/**
 * {@code POST /api/images/{id}/segment}: reads the JSON prompt (at most {@link #MAX_BODY_BYTES}), runs the
 * {@link SegmentService} and answers with {@link SegmentAnswer}'s body. Refusals are {@link ApiException}s,
 * rendered by the app's handler as {@code {error, message}}.
 */
public final class SegmentRoute {
    /**
     * 64 points with long decimals, a box and an id fit in 8 KB; 64 KB leaves room for pretty-printed JSON
     * while keeping what an abusive client can make the server buffer small.
     */
    public static final int MAX_BODY_BYTES = 64 << 10;
    private static final int RETRY_AFTER_SECONDS = 2;

    private final SegmentService service;
    private final DecoderTimeBudget budget;
    private final Gson gson = new GsonBuilder().disableHtmlEscaping().create();

    public SegmentRoute(SegmentService service) {
        this(service, new DecoderTimeBudget(1_000_000, System::nanoTime));
    }

    /** @param budget decoder time per client address; the request's wall time on the decoder is charged */
    public SegmentRoute(SegmentService service, DecoderTimeBudget budget) {
        this.service = service;
        this.budget = budget;
    }

    /** The per-client CPU budget this route charges, for other CPU-costing routes to share. */
    public DecoderTimeBudget budget() {
        return budget;
    }

    /** @param imageId already checked by the app's id validation */
    public void handle(Context ctx, String imageId) throws Exception {
        String client = ctx.ip();
        long wait = budget.secondsUntilAvailable(client);
        if (wait > 0) {
            RefusedBody.discard(ctx);
            ctx.header("Retry-After", Long.toString(wait));
            budget.requireAvailable(client);
        }
        SegmentRequest request = SegmentRequest.parse(JsonBody.read(ctx, MAX_BODY_BYTES, "a segment request"));
        SegmentService.Outcome outcome;
        long start = DecoderTimeBudget.threadCpuNanos(); // the decode runs on this thread
        try {
            outcome = service.segment(imageId, request);
        } catch (ApiException e) {
            if (e.status() == 503) {
                ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            }
            throw e;
        } finally {
            budget.charge(client, DecoderTimeBudget.threadCpuNanos() - start);
        }
        ctx.status(200);
        ctx.contentType("application/json");
        ctx.result(gson.toJson(SegmentAnswer.body(imageId, request, outcome)));
    }

}
