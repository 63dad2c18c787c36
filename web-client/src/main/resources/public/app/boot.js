// Starts the page's Java code: the WebAssembly GC build where the browser supports it, else the
// JavaScript build. "?runtime=js" forces the JavaScript build (for testing the fallback).
(function () {
  'use strict';
  // A module whose only content is one struct type: valid only where WebAssembly GC exists.
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

  function startJavaScript() {
    return loadScript('/app/js/classes.js').then(function () { window.main(['page', 'js']); });
  }


  function fail(error) {
    console.error(error);
    var text = document.getElementById('status-text');
    if (text) { text.textContent = 'The page could not start: ' + error.message; }
  }

  var forced = new URLSearchParams(location.search).get('runtime');
  if (forced !== 'js' && hasWasmGC()) {
    // Fall back only if loading fails; once Java main runs, its own errors are shown by it.
    var started = false;
    loadScript('/app/wasm/classes.wasm-runtime.js')
      .then(function () { return TeaVM.wasmGC.load('/app/wasm/classes.wasm'); })
      .then(function (teavm) { started = true; teavm.exports.main(['page', 'wasm']); })
      .catch(function (error) {
        if (started) { fail(error); return; }
        console.warn('WebAssembly GC build did not load, using JavaScript:', error);
        startJavaScript().catch(fail);
      });
  } else {
    startJavaScript().catch(fail);
  }
})();
