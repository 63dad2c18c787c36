package clickseg.web;

import clickseg.web.js.PageController;
import clickseg.web.js.WorkerMain;

/**
 * One entry point for both TeaVM builds (WebAssembly GC and JavaScript): the boot scripts
 * call {@code main(["page", runtime])} in the page and {@code main(["worker", runtime])} in
 * each decoder worker, where runtime is "wasm" or "js". The page always runs the JavaScript
 * build (boot.js); its runtime argument names the build its decoder workers are to start.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String role = args.length > 0 ? args[0] : "page";
        String runtime = args.length > 1 ? args[1] : "js";
        if ("worker".equals(role)) {
            WorkerMain.start(runtime);
        } else {
            PageController.start(runtime);
        }
    }
}
