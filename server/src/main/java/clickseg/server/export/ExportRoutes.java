package clickseg.server.export;

import clickseg.export.CocoInstances;
import clickseg.export.MaskArchive;
import clickseg.export.ObjectsSvg;
import clickseg.export.YoloSegmentation;
import clickseg.server.ApiException;
import clickseg.server.DecoderTimeBudget;
import clickseg.server.JsonBody;
import clickseg.server.RefusedBody;
import clickseg.server.image.MemoryBudget;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;

/**
 * The exports for scripts, the same files the page writes (one implementation, {@code clickseg.export}):
 * <ul>
 *   <li>{@code POST /api/export/coco}: a COCO instances JSON of every image and object, polygons or RLE;
 *   <li>{@code POST /api/export/yolo}: a zip of Ultralytics YOLO segmentation labels, classes.txt, data.yaml;
 *   <li>{@code POST /api/export/svg}: one image's objects as an SVG;
 *   <li>{@code POST /api/export/masks}: a zip of label-map PNGs, per-object mask PNGs and an index per image.
 * </ul>
 * Bodies are {@link ExportRequest}s of at most {@link #MAX_BODY_BYTES}. The heap an export needs (the parsed
 * body, then one full-size mask and its outline scratch at a time, and the file) is reserved from the server's
 * memory budget first: 503 when it is busy, 413 when it could never fit. The CPU time an export takes is
 * charged to its client's budget, the one segment and everything requests draw on: 429 with Retry-After once
 * it is spent.
 */
public final class ExportRoutes {
    /** The objects' RLE strings: ~100 KB per detailed mask at 12 megapixels, so a few dozen objects per request. */
    public static final int MAX_BODY_BYTES = 8 << 20;

    private final MemoryBudget memory;
    private final DecoderTimeBudget cpu;

    /**
     * @param memory the server's heap budget (null: unlimited, for tools and route listings)
     * @param cpu    CPU time per client address (null: unlimited)
     */
    public ExportRoutes(MemoryBudget memory, DecoderTimeBudget cpu) {
        this.memory = memory == null ? MemoryBudget.unlimited() : memory;
        this.cpu = cpu;
    }

    public void coco(Context ctx) {
        export(ctx, true, request -> {
            if (request.segmentation() == clickseg.export.CocoSegmentation.POLYGON) {
                request.requireTraceable();
            }
            return new Answer("application/json", "annotations.json",
                    CocoInstances.json(request.images(), request.segmentation(), request.tolerance())
                            .getBytes(StandardCharsets.UTF_8));
        });
    }

    public void yolo(Context ctx) {
        export(ctx, false, request -> {
            request.requireTraceable();
            return new Answer("application/zip", "yolo-labels.zip", YoloSegmentation.zip(request.images(),
                    request.tolerance()));
        });
    }

    public void svg(Context ctx) {
        export(ctx, false, request -> {
            if (request.images().size() != 1) {
                throw new ApiException(400, "bad_export", "images: an SVG shows one image, got "
                        + request.images().size());
            }
            request.requireTraceable();
            return new Answer("image/svg+xml", "objects.svg",
                    ObjectsSvg.document(request.images().get(0), request.tolerance()).getBytes(StandardCharsets.UTF_8));
        });
    }

    public void masks(Context ctx) {
        export(ctx, false, request -> new Answer("application/zip", "masks.zip", MaskArchive.zip(request.images())));
    }

    private record Answer(String contentType, String fileName, byte[] body) {
    }

    private interface Writer {
        Answer write(ExportRequest request);
    }

    private void export(Context ctx, boolean coco, Writer writer) {
        String client = ctx.ip();
        if (cpu != null) {
            long wait = cpu.secondsUntilAvailable(client);
            if (wait > 0) {
                RefusedBody.discard(ctx);
                ctx.header("Retry-After", Long.toString(wait));
                cpu.requireAvailable(client);
            }
        }
        long start = DecoderTimeBudget.threadCpuNanos(); // the export runs on this thread
        try {
            answer(ctx, coco, writer);
        } finally {
            if (cpu != null) {
                cpu.charge(client, DecoderTimeBudget.threadCpuNanos() - start);
            }
        }
    }

    private void answer(Context ctx, boolean coco, Writer writer) {
        byte[] body = JsonBody.read(ctx, MAX_BODY_BYTES, "an export");
        Answer answer;
        // The parsed tree: its strings about the body's size, each other JSON value ~80 bytes (a run-length array
        // of 4 million numbers is 300 MB in Gson's tree). Then one mask, its crop and the tracer's bits at a time
        // (~2.3 bytes per image pixel), the outlines' vertices and their text (~40 bytes each), and the file.
        try (MemoryBudget.Reservation parse = memory.reserve(JsonCost.bytes(body), "an export request")) {
            ExportRequest request = ExportRequest.parse(body, coco);
            long work = 4L * request.maxImagePixels() + 40L * Math.min(request.vertices(), ExportRequest.MAX_VERTICES);
            try (MemoryBudget.Reservation scratch = memory.reserve(work, "an export")) {
                answer = writer.write(request);
            }
        }
        ctx.status(200);
        ctx.contentType(answer.contentType());
        ctx.header("Content-Disposition", "attachment; filename=\"" + answer.fileName() + "\"");
        ctx.result(answer.body());
    }
}
