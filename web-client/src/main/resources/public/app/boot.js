// Starts the page's Java code. The page itself always runs TeaVM's JavaScript build, which needs no
// eval, so the page's Content-Security-Policy carries neither 'unsafe-eval' nor 'wasm-unsafe-eval'.
// The decoder workers, where the per-click work happens, run the WebAssembly GC build where the
// browser supports it: the runtime passed to main is the one the page asks its workers to start
// (app/worker.js, whose own response carries the policy that lets it compile the module and build
// TeaVM's glue). "?runtime=js" forces the JavaScript build in the workers too (for testing the fallback).
(function () {
  'use strict';
  // A module whose only content is one struct type: valid only where WebAssembly GC exists.
  // WebAssembly.validate compiles nothing, so it is allowed without 'wasm-unsafe-eval'.
  var GC_PROBE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x03, 0x01, 0x5f, 0x00]);

  function hasWasmGC() {
    try {
      return typeof WebAssembly === 'object' && WebAssembly.validate(GC_PROBE);
    } catch (e) {
      return false;
    }
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error('could not load ' + src)); };
      document.head.appendChild(script);
    });
  }

  function fail(error) {
    console.error(error);
    var text = document.getElementById('status-text');
    if (text) { text.textContent = 'The page could not start: ' + error.message; }
  }

  var forced = new URLSearchParams(location.search).get('runtime');
  var workerRuntime = forced !== 'js' && hasWasmGC() ? 'wasm' : 'js';
  loadScript('/app/js/classes.js')
    .then(function () { window.main(['page', workerRuntime]); })
    .catch(fail);
})();
