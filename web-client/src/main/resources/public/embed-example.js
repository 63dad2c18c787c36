// /embed-example.html: both ways of embedding the segmenter, on one image, with a live log of
// the events each one sends. The image comes from ?image=IMAGE_ID or from a file uploaded here.
(function () {
  'use strict';
  var server = location.origin; // on another site: the clickseg server's address

  function byId(id) {
    return document.getElementById(id);
  }

  function log(source, name, detail) {
    var item = document.createElement('li');
    var summary = '';
    if (name === 'ready') {
      summary = 'image ' + detail.imageId.slice(0, 12) + '… ' + detail.width + ' × ' + detail.height + ' px';
    } else if (name === 'mask') {
      // rle.size is [height, width], as COCO writes it; say it the way the ready event does.
      summary = 'area ' + detail.area + ' px, bbox [' + detail.bbox.join(', ') + '], predicted IoU '
        + Number(detail.iou).toFixed(2) + ', RLE of ' + detail.rle.size[1] + ' × ' + detail.rle.size[0]
        + ' px in ' + detail.rle.counts.length + ' characters';
    } else if (name === 'error') {
      summary = detail.message;
      item.className = 'error';
    }
    item.textContent = new Date().toLocaleTimeString() + '  ' + source + '  ' + name + '  ' + summary;
    var list = byId('event-log');
    list.insertBefore(item, list.firstChild);
  }

  function centrePoint(ready) {
    return {points: [[Math.round(ready.width / 2), Math.round(ready.height / 2)]], labels: [1]};
  }

  function showSnippets(imageId) {
    byId('snippet-element').textContent = ''
      + '<script src="' + server + '/embed.js"></script>\n'
      + '<sam-segmenter id="segmenter" image="' + imageId + '" width="640" height="480"></sam-segmenter>\n'
      + '<script src="your-page.js"></script>\n\n'
      + '// your-page.js\n'
      + 'const segmenter = document.getElementById("segmenter");\n'
      + 'segmenter.addEventListener("clickseg-mask", (event) => console.log(event.detail.area, event.detail.rle));\n'
      + 'segmenter.addEventListener("clickseg-ready", () => segmenter.setPrompts({points: [[320, 240]], labels: [1]}));';
    byId('snippet-iframe').textContent = ''
      + '<iframe id="segmenter" width="640" height="480"\n'
      + '        src="' + server + '/embed/' + imageId + '?parent=https%3A%2F%2Fyour-site.example"></iframe>\n\n'
      + '// your-page.js\n'
      + 'const frame = document.getElementById("segmenter");\n'
      + 'window.addEventListener("message", (event) => {\n'
      + '  if (event.origin !== "' + server + '" || event.source !== frame.contentWindow) return;\n'
      + '  if (event.data.type === "clickseg:mask") console.log(event.data.area, event.data.rle);\n'
      + '});\n'
      + 'frame.contentWindow.postMessage({type: "clickseg:undo"}, "' + server + '");';
  }

  function embedElement(imageId) {
    var slot = byId('element-slot');
    slot.replaceChildren();
    var segmenter = document.createElement('sam-segmenter');
    segmenter.setAttribute('image', imageId);
    segmenter.setAttribute('width', '100%');
    segmenter.setAttribute('height', '460');
    var ready = null;
    ['ready', 'mask', 'error'].forEach(function (name) {
      segmenter.addEventListener('clickseg-' + name, function (event) { log('element', name, event.detail); });
    });
    segmenter.addEventListener('clickseg-ready', function (event) {
      ready = event.detail;
      ['element-point', 'element-undo', 'element-clear'].forEach(function (id) { byId(id).disabled = false; });
    });
    byId('element-point').onclick = function () { segmenter.setPrompts(centrePoint(ready)); };
    byId('element-undo').onclick = function () { segmenter.undo(); };
    byId('element-clear').onclick = function () { segmenter.clear(); };
    slot.appendChild(segmenter);
  }

  var plainFrame = null;
  var plainReady = null;

  function embedIframe(imageId) {
    var slot = byId('iframe-slot');
    slot.replaceChildren();
    plainReady = null;
    plainFrame = document.createElement('iframe');
    plainFrame.title = 'Click to segment the image';
    plainFrame.src = server + '/embed/' + imageId + '?parent=' + encodeURIComponent(location.origin);
    slot.appendChild(plainFrame);
    function post(message) {
      plainFrame.contentWindow.postMessage(message, server);
    }
    byId('iframe-point').onclick = function () {
      var prompt = centrePoint(plainReady);
      post({type: 'clickseg:setPrompts', points: prompt.points, labels: prompt.labels});
    };
    byId('iframe-undo').onclick = function () { post({type: 'clickseg:undo'}); };
    byId('iframe-clear').onclick = function () { post({type: 'clickseg:clear'}); };
  }

  // The plain iframe's messages: only from its own window, only from the server's origin.
  window.addEventListener('message', function (event) {
    if (!plainFrame || event.source !== plainFrame.contentWindow || event.origin !== server) {
      return;
    }
    var data = event.data;
    if (!data || typeof data.type !== 'string' || data.type.indexOf('clickseg:') !== 0) {
      return;
    }
    var name = data.type.slice('clickseg:'.length);
    if (name === 'ready') {
      plainReady = data;
      ['iframe-point', 'iframe-undo', 'iframe-clear'].forEach(function (id) { byId(id).disabled = false; });
    }
    log('iframe ', name, data);
  });

  function start(imageId) {
    showSnippets(imageId);
    embedElement(imageId);
    embedIframe(imageId);
  }

  byId('image-file').addEventListener('change', function () {
    var file = byId('image-file').files[0];
    if (!file) {
      return;
    }
    var form = new FormData();
    form.append('image', file, file.name);
    byId('choose-status').textContent = 'Uploading and encoding…';
    fetch('/api/images', {method: 'POST', body: form})
      .then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) {
            throw new Error(answer.message || ('HTTP ' + response.status));
          }
          return answer;
        });
      })
      .then(function (answer) {
        byId('choose-status').textContent = '';
        var address = new URL(location.href);
        address.searchParams.set('image', answer.id);
        history.replaceState(null, '', address);
        start(answer.id);
      })
      .catch(function (error) {
        byId('choose-status').textContent = 'The image could not be uploaded: ' + error.message;
      });
  });

  var given = new URLSearchParams(location.search).get('image');
  showSnippets(given || 'IMAGE_ID');
  if (given) {
    start(given);
  }
})();
