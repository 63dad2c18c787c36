// A decoder worker: loads the same TeaVM build as the page (?runtime=wasm|js) and runs its
// Java main in worker mode. The Java side announces itself with {type:'worker-ready'}.
'use strict';
var runtime = new URL(self.location.href).searchParams.get('runtime');
function report(error) {
  self.postMessage({type: 'error', id: -1, message: 'the decoder worker could not start (' + error + ')'});
}
if (runtime === 'wasm') {
  importScripts('wasm/classes.wasm-runtime.js');
  TeaVM.wasmGC.load('wasm/classes.wasm')
    .then(function (teavm) { teavm.exports.main(['worker', 'wasm']); })
    .catch(report);
} else {
  try {
    importScripts('js/classes.js');
    self.main(['worker', 'js']);
  } catch (e) {
    report(e);
  }
}
