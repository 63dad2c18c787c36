package clickseg.bench.browser;

/** What one browser page runs; {@link #id} is the name bench.js knows it by. */
enum Variant {
    OURS_PAGE_WORKER("ours-worker", "ours: the web client's decoder worker, as the page uses it"),
    OURS_PAGE_WORKER_JAVA_KERNELS("ours-worker-java",
            "ours: the same worker with its SIMD kernels switched off (?kernels=java): what SIMD gives"),
    OURS_PAGE_STRIPES("ours-striped", "ours: the page's 2-worker striped decode (2 page workers, row stripes)"),
    OURS_BENCH_WORKER("ours-bench-worker", "ours: shared MaskDecoder in a worker (benchmark build, same protocol)"),
    OURS_MAIN_THREAD("ours-main", "ours: shared MaskDecoder on the main thread"),
    ORT_1_THREAD("ort-1", "onnxruntime-web 1.30.0 wasm, 1 thread, sam.onnx"),
    ORT_2_THREADS("ort-2", "onnxruntime-web 1.30.0 wasm, 2 threads, sam.onnx"),
    ORT_ALL_IN_BROWSER("ort-all", "onnxruntime-web 1.30.0 wasm, 2 threads, encoder.onnx + sam.onnx in the page");

    final String id;
    final String label;

    Variant(String id, String label) {
        this.id = id;
        this.label = label;
    }

    boolean isOurs() {
        return id.startsWith("ours");
    }
}
