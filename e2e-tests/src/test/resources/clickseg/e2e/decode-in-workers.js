// Runs in a page of the clickseg server: drives the page's own decoder worker script with the worker
// protocol (clickseg.web.js.WorkerMain) and returns every decode's logits as base64 float32 bytes.
// arg: {weightsUrl, embeddingUrl, prompts: [{points: [x, y, …], labels: […], box: [4] | null, refine: bool}]}
// A refine prompt takes the chosen mask of the answer before it as its mask input. Each prompt is decoded
// by one worker ('decode') and again split over two workers by row stripes ('stripe-begin'), as the page does.
async (arg) => {
  const LOW = 256, PLANE = LOW * LOW;
  const workers = [0, 1, 2].map(() => new Worker('/app/worker.js?runtime=wasm'));
  const inbox = workers.map(() => []);
  const waiters = workers.map(() => []);
  workers.forEach((w, i) => {
    w.onmessage = (e) => {
      const hit = waiters[i].findIndex((x) => x.test(e.data));
      if (hit >= 0) { waiters[i].splice(hit, 1)[0].resolve(e.data); } else { inbox[i].push(e.data); }
    };
  });
  const next = (i, test) => {
    const early = inbox[i].findIndex(test);
    if (early >= 0) { return Promise.resolve(inbox[i].splice(early, 1)[0]); }
    return new Promise((resolve, reject) => {
      waiters[i].push({test: (d) => test(d) || (d.type === 'error' && reject(new Error(d.message))), resolve});
      setTimeout(() => reject(new Error('worker ' + i + ' timed out')), 60000);
    });
  };
  const ready = await Promise.all(workers.map((w, i) => next(i, (d) => d.type === 'worker-ready')));
  const channel = new MessageChannel(); // workers 1 and 2 split decodes between them
  workers[1].postMessage({type: 'stripe-peers', stripe: 0, stripes: 2, peers: [channel.port1]}, [channel.port1]);
  workers[2].postMessage({type: 'stripe-peers', stripe: 1, stripes: 2, peers: [channel.port2]}, [channel.port2]);
  const weights = await (await fetch(arg.weightsUrl)).arrayBuffer();
  const embedding = await (await fetch(arg.embeddingUrl)).arrayBuffer();
  for (let i = 0; i < 3; i++) {
    workers[i].postMessage({type: 'weights', bytes: weights.slice(0)});
    workers[i].postMessage({type: 'embedding', image: 1, bytes: embedding.slice(0)});
    await next(i, (d) => d.type === 'embedding-loaded');
  }
  const base64 = (floats) => {
    const bytes = new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength);
    let s = '';
    for (let k = 0; k < bytes.length; k += 0x8000) { s += String.fromCharCode.apply(null, bytes.subarray(k, k + 0x8000)); }
    return btoa(s);
  };
  const out = [];
  let previous = {single: null, striped: null};
  let id = 1;
  for (const p of arg.prompts) {
    const message = {points: new Float32Array(p.points), labels: new Int32Array(p.labels)};
    if (p.box) { message.box = new Float32Array(p.box); }
    const single = Object.assign({type: 'decode', id: id++}, message);
    if (p.refine) { single.maskInput = previous.single; }
    workers[0].postMessage(single);
    const one = await next(0, (d) => d.type === 'decoded' && d.id === single.id);
    const stripeId = id++;
    const rows = [[0, 29], [29, 64]]; // uneven, as any stripe layout must work
    const answers = Promise.all([1, 2].map((w) => next(w, (d) => d.type === 'stripe-decoded' && d.id === stripeId)));
    [1, 2].forEach((w, k) => {
      const begin = Object.assign({type: 'stripe-begin', id: stripeId, rowStart: rows[k][0], rowEnd: rows[k][1]}, message);
      if (p.refine) { begin.maskInput = previous.striped; }
      workers[w].postMessage(begin);
    });
    const stitched = new Float32Array(4 * PLANE);
    let selected = 0;
    for (const d of await answers) {
      const first = 4 * d.rowStart * LOW;
      const length = 4 * d.rowEnd * LOW - first;
      for (let m = 0; m < 4; m++) { stitched.set(d.logits.subarray(m * length, (m + 1) * length), m * PLANE + first); }
      selected = d.selected;
    }
    previous = {single: one.logits.slice(one.selected * PLANE, (one.selected + 1) * PLANE),
                striped: stitched.slice(selected * PLANE, (selected + 1) * PLANE)};
    out.push({single: base64(one.logits), singleSelected: one.selected, iou: Array.from(one.iou),
              striped: base64(stitched), stripedSelected: selected,
              millis: one.millis, imageSideMillis: one.imageSideMillis});
  }
  workers.forEach((w) => w.terminate());
  return JSON.stringify({runtimes: ready.map((d) => d.runtime), answers: out});
}
