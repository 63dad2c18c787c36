// A decoder worker: loads the TeaVM build the page asks for (?runtime=wasm|js) and runs its Java
// main in worker mode. The Java side announces itself with {type:'worker-ready', runtime}, naming
// the build that really started: if the WebAssembly GC build does not load, the worker falls back to
// the JavaScript build. This script's response carries the only policy with 'wasm-unsafe-eval' and
// 'unsafe-eval' (TeaVM 0.16's WasmGC runtime builds its glue with new Function); a dedicated worker
// runs under the policy of its own script's response, not the page's.
'use strict';
var runtime = new URL(self.location.href).searchParams.get('runtime');
function report(error) {
  self.postMessage({type: 'error', id: -1, message: 'the decoder worker could not start (' + error + ')'});
}
function startJavaScript() {
  try {
    importScripts('js/classes.js');
    self.main(['worker', 'js']);
  } catch (e) {
    report(e);
  }
}
if (runtime === 'wasm') {
  // Fall back only if loading fails; once Java main runs, its own errors are reported by it.
  var started = false;
  new Promise(function (resolve) { importScripts('wasm/classes.wasm-runtime.js'); resolve(); })
    .then(function () { return TeaVM.wasmGC.load('wasm/classes.wasm'); })
    .then(function (teavm) { started = true; teavm.exports.main(['worker', 'wasm']); })
    .catch(function (error) {
      if (started) { report(error); return; }
      console.warn('WebAssembly GC build did not load in the worker, using JavaScript:', error);
      startJavaScript();
    });
} else {
  startJavaScript();
}
