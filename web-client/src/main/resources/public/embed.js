// clickseg embed: <script src="https://HOST/embed.js"></script> defines the element
//
//   <sam-segmenter image="IMAGE_ID or https://…/photo.jpg" width="640" height="480"></sam-segmenter>
//
// which shows the segmenter of the server this file came from in an iframe (HOST/embed/IMAGE_ID,
// or HOST/embed?url=… for an image on the web) and speaks its postMessage protocol for the page:
//
//   events (DOM CustomEvents on the element, bubbling and composed; event.detail is the message):
//     clickseg-ready    {type: 'clickseg:ready', imageId, width, height}     the image can be segmented
//     clickseg-mask     {type: 'clickseg:mask', rle: {size: [h, w], counts}, the current object's mask changed
//                        bbox: [x, y, w, h], area, iou, objectId, label}     (COCO compressed RLE; area 0 = no mask)
//     clickseg-objects  {type: 'clickseg:objects', objects: [{id, label,     the objects changed (also readable
//                        rle, bbox, area}, …]}                              any time as element.objects)
//     clickseg-error    {type: 'clickseg:error', message}                   something went wrong, in words
//   The old names ready, mask and error are still dispatched (not bubbling) for one release; listening to
//   them logs a deprecation note: they clash with standard event names.
//   methods:
//     element.setPrompts({points: [[x, y], ...], labels: [1 | 0, ...], box: [x0, y0, x1, y1]})
//     element.clear()
//     element.undo()
//     element.redo()
//   properties:
//     element.objects    every object of the image ([{id, label, rle, bbox, area}, …], a copy)
//   (commands given before `ready` wait for it; coordinates are the image's own pixels).
//
// Security: the iframe is told this page's origin (?parent=…) and posts its events to that origin
// only; this script posts commands to the server's origin only and listens only to messages whose
// origin is the server's and whose source is this element's own iframe. Nothing here needs inline
// script, inline styles in markup or eval, so it works under a strict Content-Security-Policy
// (allow this server in script-src and frame-src).
(function () {
  'use strict';
  if (window.customElements.get('sam-segmenter')) {
    return; // included twice: the first definition stands
  }
  var script = document.currentScript;
  // The server this file came from: the iframe and every message go there and nowhere else.
  var serverOrigin = new URL(script && script.src ? script.src : location.href).origin;
  var IMAGE_ID = /^[0-9a-f]{64}$/;
  var EVENTS = {'clickseg:ready': 'ready', 'clickseg:mask': 'mask', 'clickseg:error': 'error',
    'clickseg:objects': 'objects'};
  // Names before 'clickseg-…', kept for one release: 'error' in particular is also a standard event's name.
  var DEPRECATED = {ready: 'clickseg-ready', mask: 'clickseg-mask', error: 'clickseg-error'};
  var deprecationNoted = {};

  function size(value, fallback) {
    if (value == null || value === '') {
      return fallback;
    }
    return /^\d+(\.\d+)?$/.test(value) ? value + 'px' : value; // "640" means pixels; "100%" as written
  }

  class SamSegmenter extends HTMLElement {
    static get observedAttributes() {
      return ['image', 'width', 'height'];
    }

    constructor() {
      super();
      this._frame = null;
      this._ready = false;
      this._waiting = []; // commands given before `ready`
      this._objects = [];
      this._onMessage = this._onMessage.bind(this);
    }

    /** Every object of the image, in list order: [{id, label, rle: {size, counts}, bbox, area}, …] (a copy). */
    get objects() {
      return JSON.parse(JSON.stringify(this._objects));
    }

    addEventListener(type, listener, options) {
      if (Object.prototype.hasOwnProperty.call(DEPRECATED, type) && !deprecationNoted[type]) {
        deprecationNoted[type] = true;
        console.warn('<sam-segmenter>: the "' + type + '" event is deprecated and goes in the next release;'
          + ' listen to "' + DEPRECATED[type] + '" instead');
      }
      super.addEventListener(type, listener, options);
    }

    connectedCallback() {
      window.addEventListener('message', this._onMessage);
      if (getComputedStyle(this).display === 'inline') {
        // A box for the iframe (an inline element has no width for width="100%" to fill),
        // unless the page's own CSS already gave the element a display.
        this.style.display = 'block';
      }
      this._render();
    }

    disconnectedCallback() {
      window.removeEventListener('message', this._onMessage);
    }

    attributeChangedCallback(name, oldValue, newValue) {
      if (!this.isConnected || oldValue === newValue) {
        return;
      }
      if (name === 'image') {
        this._render();
      } else {
        this._size();
      }
    }

    /** Replaces the prompt: points [[x, y], ...] with labels 1 (object) or 0 (not object), and/or a box. */
    setPrompts(prompts) {
      var given = prompts || {};
      var message = {type: 'clickseg:setPrompts', points: given.points || [], labels: given.labels || []};
      if (given.box != null) {
        message.box = given.box;
      }
      this._send(message);
    }

    clear() {
      this._send({type: 'clickseg:clear'});
    }

    undo() {
      this._send({type: 'clickseg:undo'});
    }

    redo() {
      this._send({type: 'clickseg:redo'});
    }

    /** The iframe's address for the image attribute, or null (with an error event) when it names nothing usable. */
    _source() {
      var image = (this.getAttribute('image') || '').trim();
      var parent = 'parent=' + encodeURIComponent(location.origin);
      if (IMAGE_ID.test(image)) {
        return serverOrigin + '/embed/' + image + '?' + parent;
      }
      if (/^https?:\/\//i.test(image)) {
        return serverOrigin + '/embed?url=' + encodeURIComponent(image) + '&' + parent;
      }
      var element = this;
      setTimeout(function () {
        element._emit('error', {type: 'clickseg:error', message: 'the image attribute must be an image id (64 hex'
          + ' digits) or an http(s) URL, not "' + image + '"'});
      }, 0);
      return null;
    }

    _render() {
      this._ready = false;
      this._objects = [];
      this._waiting = [];
      if (this._frame) {
        this._frame.remove();
        this._frame = null;
      }
      var source = this._source();
      if (!source) {
        return;
      }
      var frame = document.createElement('iframe');
      frame.src = source;
      frame.title = this.getAttribute('title') || 'Click to segment the image';
      frame.allow = 'clipboard-write';
      frame.style.border = '0';
      frame.style.display = 'block';
      this._frame = frame;
      this._size();
      this.appendChild(frame);
    }

    _size() {
      if (this._frame) {
        this._frame.style.width = size(this.getAttribute('width'), '640px');
        this._frame.style.height = size(this.getAttribute('height'), '480px');
      }
    }

    _send(message) {
      if (!this._ready || !this._frame || !this._frame.contentWindow) {
        this._waiting.push(message);
        return;
      }
      this._frame.contentWindow.postMessage(message, serverOrigin);
    }

    _onMessage(event) {
      // Only this element's own iframe, only from the server's origin.
      if (!this._frame || event.source !== this._frame.contentWindow || event.origin !== serverOrigin) {
        return;
      }
      var data = event.data;
      var name = data && typeof data === 'object' ? EVENTS[data.type] : undefined;
      if (!name) {
        return;
      }
      if (name === 'objects') {
        this._objects = Array.isArray(data.objects) ? data.objects : [];
      }
      if (name === 'ready') {
        this._ready = true;
        var waiting = this._waiting;
        this._waiting = [];
        for (var i = 0; i < waiting.length; i++) {
          this._send(waiting[i]);
        }
      }
      this._emit(name, data);
    }

    _emit(name, detail) {
      this.dispatchEvent(new CustomEvent('clickseg-' + name, {detail: detail, bubbles: true, composed: true}));
      if (Object.prototype.hasOwnProperty.call(DEPRECATED, name)) {
        this.dispatchEvent(new CustomEvent(name, {detail: detail}));
      }
    }
  }

  window.customElements.define('sam-segmenter', SamSegmenter);
})();
