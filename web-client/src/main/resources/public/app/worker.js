// A decoder worker: loads the TeaVM build the page asks for (?runtime=wasm|js) and runs its Java
// main in worker mode. The Java side announces itself with {type:'worker-ready', runtime}, naming
// the build that really started: if the WebAssembly GC build does not load, the worker falls back to
// the JavaScript build. This script's response carries the only policy with 'wasm-unsafe-eval' and
// 'unsafe-eval' (TeaVM 0.16's WasmGC runtime builds its glue with new Function); a dedicated worker
// runs under the policy of its own script's response, not the page's.
'use strict';
var runtime = new URL(self.location.href).searchParams.get('runtime');
// ?kernels=java keeps the decoder on its Java kernels even where SIMD loads (to measure what SIMD gives)
var javaKernels = new URL(self.location.href).searchParams.get('kernels') === 'java';
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
// The image-side kernels in WebAssembly SIMD (simd/image-kernels.wasm): compiled here when the browser
// validates SIMD, instantiated on the WebAssembly GC module's own linear memory (its env.memory) and
// given to it as the import namespace 'clicksegSimd'. Without SIMD the namespace holds functions that
// are never called, and the Java kernels run ("wasm" instead of "wasm-simd").
function compileSimdKernels() {
  if (javaKernels) { return Promise.resolve(null); }
  return fetch('simd/image-kernels.wasm')
    .then(function (response) { return response.ok ? response.arrayBuffer() : null; })
    .then(function (bytes) { return bytes && WebAssembly.validate(bytes) ? WebAssembly.compile(bytes) : null; })
    .catch(function (error) {
      console.warn('WebAssembly SIMD kernels unavailable, the decoder runs its Java kernels:', error);
      return null;
    });
}
function instantiateSimdKernels(simdModule, memory) {
  if (simdModule) {
    try {
      return new WebAssembly.Instance(simdModule, {env: {memory: memory}}).exports;
    } catch (e) {
      console.warn('WebAssembly SIMD kernels did not instantiate, the decoder runs its Java kernels:', e);
    }
  }
  return null;
}
var missingSimdKernel = function () { throw new Error('WebAssembly SIMD kernels are not loaded'); };
if (runtime === 'wasm') {
  // Fall back only if loading fails; once Java main runs, its own errors are reported by it.
  var started = false;
  var simd = false;
  new Promise(function (resolve) { importScripts('wasm/classes.wasm-runtime.js'); resolve(); })
    .then(compileSimdKernels)
    .then(function (simdModule) {
      return TeaVM.wasmGC.load('wasm/classes.wasm', {
        installImports: function (imports) {
          var kernels = instantiateSimdKernels(simdModule, imports.env.memory);
          simd = kernels !== null;
          imports.clicksegSimd = kernels || {gemm: missingSimdKernel, add: missingSimdKernel,
            addRow: missingSimdKernel, layerNorm: missingSimdKernel, gelu: missingSimdKernel};
        }
      });
    })
    .then(function (teavm) { started = true; teavm.exports.main(['worker', simd ? 'wasm-simd' : 'wasm']); })
    .catch(function (error) {
      if (started) { report(error); return; }
      console.warn('WebAssembly GC build did not load in the worker, using JavaScript:', error);
      startJavaScript();
    });
} else {
  startJavaScript();
}
