// The benchmark's own decoder worker: the real MaskDecoder (BenchDecoderEntry, TeaVM WebAssembly GC)
// behind the same message protocol as the web client's worker (clickseg.web.js.WorkerMain), so the
// harness drives both with one backend and the cost of a worker round trip can be read off.
'use strict';
importScripts('decoder/classes.wasm-runtime.js');
var decoder = null;
var pending = [];

function answerError(id, error) {
  self.postMessage({type: 'error', id: id, message: String(error && error.message ? error.message : error)});
}

function handle(data) {
  var id = data.id == null ? -1 : data.id;
  try {
    if (data.type === 'weights') {
      decoder.loadWeights(new Int8Array(data.bytes));
      self.postMessage({type: 'weights-loaded'});
    } else if (data.type === 'embedding') {
      decoder.loadEmbedding(new Int8Array(data.bytes));
      self.postMessage({type: 'embedding-loaded', image: data.image});
    } else if (data.type === 'decode') {
      var box = data.box == null ? new Float32Array(0) : data.box;
      var maskInput = data.maskInput == null ? new Float32Array(0) : data.maskInput;
      var answer = decoder.decode(data.points, data.labels, box, maskInput);
      self.postMessage({type: 'decoded', id: id, logits: answer.logits, iou: answer.iou,
        selected: answer.selected, millis: answer.millis, multiplyAdds: answer.multiplyAdds}, [answer.logits.buffer]);
    } else {
      throw new Error('unknown message type ' + data.type);
    }
  } catch (e) {
    answerError(id, e);
  }
}

self.onmessage = function (event) {
  if (decoder == null) {
    pending.push(event.data);
  } else {
    handle(event.data);
  }
};

TeaVM.wasmGC.load('decoder/classes.wasm').then(function (teavm) {
  teavm.exports.main([]);
  decoder = self.clicksegBenchDecoder;
  self.postMessage({type: 'worker-ready', runtime: 'wasm'});
  pending.splice(0).forEach(handle);
}).catch(function (e) { answerError(-1, 'the benchmark decoder did not load: ' + e); });
