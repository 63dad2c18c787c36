package clickseg.web.js;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Float32Array;
import org.teavm.jso.typedarrays.Int32Array;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * Every direct call into browser APIs, as small static functions. Keeping them here means the
 * rest of the client reads as Java and the same code runs on TeaVM's JavaScript and
 * WebAssembly GC backends (no typed-array sharing, only copies at this edge).
 */
final class Browser {
    private Browser() {
    }

    // ---- DOM --------------------------------------------------------------------------------

    @JSBody(params = "id", script = "return document.getElementById(id);")
    static native JSObject byId(String id);

    @JSBody(params = {"element", "text"}, script = "element.textContent = text;")
    static native void setText(JSObject element, String text);

    @JSBody(params = {"element", "name", "value"}, script = "element.setAttribute(name, value);")
    static native void setAttribute(JSObject element, String name, String value);

    @JSBody(params = {"element", "name"}, script = "element.removeAttribute(name);")
    static native void removeAttribute(JSObject element, String name);

    @JSBody(params = {"element", "hidden"}, script = "element.hidden = hidden;")
    static native void setHidden(JSObject element, boolean hidden);

    @JSBody(params = {"element", "disabled"}, script = "element.disabled = disabled;")
    static native void setDisabled(JSObject element, boolean disabled);

    @JSBody(params = {"element", "name", "on"}, script = "element.classList.toggle(name, on);")
    static native void toggleClass(JSObject element, String name, boolean on);

    @JSBody(params = {"element", "property", "value"}, script = "element.style.setProperty(property, value);")
    static native void setStyle(JSObject element, String property, String value);

    @JSBody(params = {"tag", "className"},
            script = "var e = document.createElement(tag); e.className = className; return e;")
    static native JSObject createElement(String tag, String className);

    @JSBody(params = {"parent", "child"}, script = "parent.appendChild(child);")
    static native void append(JSObject parent, JSObject child);

    @JSBody(params = "element", script = "element.replaceChildren();")
    static native void removeChildren(JSObject element);

    @JSBody(params = "element", script = "element.click();")
    static native void click(JSObject element);

    @JSBody(params = "element", script = "element.value = '';")
    static native void resetValue(JSObject element);

    @JSBody(params = "element", script = "return element.clientWidth;")
    static native double clientWidth(JSObject element);

    @JSBody(params = "element", script = "return element.clientHeight;")
    static native double clientHeight(JSObject element);

    @JSBody(params = "element", script = "return element.getBoundingClientRect().left;")
    static native double clientLeft(JSObject element);

    @JSBody(params = "element", script = "return element.getBoundingClientRect().top;")
    static native double clientTop(JSObject element);

    @JSBody(params = {"target", "type", "handler"},
            script = "target.addEventListener(type, handler, {passive: false});")
    static native void listen(JSObject target, String type, Callbacks.OnEvent handler);

    @JSBody(script = "return window;")
    static native JSObject window();

    @JSBody(script = "return document;")
    static native JSObject document();

    @JSBody(params = "event", script = "event.preventDefault();")
    static native void preventDefault(JSObject event);

    @JSBody(params = {"element", "pointerId"}, script = "try { element.setPointerCapture(pointerId); } catch (e) {}")
    static native void capturePointer(JSObject element, int pointerId);

    // ---- plain JavaScript values --------------------------------------------------------------

    @JSBody(params = {"object", "key"}, script = "return object[key] != null;")
    static native boolean has(JSObject object, String key);

    @JSBody(params = {"object", "key"}, script = "return Number(object[key]);")
    static native double number(JSObject object, String key);

    @JSBody(params = {"object", "key"}, script = "return object[key] == null ? null : String(object[key]);")
    static native String string(JSObject object, String key);

    @JSBody(params = {"object", "key"}, script = "return !!object[key];")
    static native boolean flag(JSObject object, String key);

    @JSBody(params = {"object", "key"}, script = "return object[key];")
    static native JSObject object(JSObject object, String key);

    @JSBody(params = {"object", "key"}, script = "return object[key];")
    static native Float32Array floats(JSObject object, String key);

    @JSBody(params = {"object", "key"}, script = "return object[key];")
    static native Int32Array ints(JSObject object, String key);

    @JSBody(params = "type", script = "return {type: type};")
    static native JSObject message(String type);

    @JSBody(params = {"object", "key", "value"}, script = "object[key] = value;")
    static native void put(JSObject object, String key, JSObject value);

    @JSBody(params = {"object", "key", "value"}, script = "object[key] = value;")
    static native void putString(JSObject object, String key, String value);

    @JSBody(params = {"object", "key", "value"}, script = "object[key] = value;")
    static native void putNumber(JSObject object, String key, double value);

    @JSBody(params = "text", script = "try { var v = JSON.parse(text); return typeof v === 'object' ? v : null; }"
            + " catch (e) { return null; }")
    static native JSObject parseJson(String text);

    @JSBody(params = "buffer", script = "return new Int8Array(buffer);")
    static native Int8Array bytesOf(JSObject arrayBuffer);

    @JSBody(params = "array", script = "return array.buffer;")
    static native JSObject bufferOf(JSObject typedArray);

    @JSBody(params = "buffer", script = "return buffer.slice(0);")
    static native JSObject copyBuffer(JSObject arrayBuffer);

    // ---- environment --------------------------------------------------------------------------

    @JSBody(script = "return window.devicePixelRatio || 1;")
    static native double devicePixelRatio();

    @JSBody(script = "return navigator.hardwareConcurrency || 2;")
    static native int hardwareConcurrency();

    @JSBody(script = "return performance.now();")
    static native double now();

    @JSBody(params = "name", script = "return new URLSearchParams(location.search).get(name);")
    static native String queryParameter(String name);

    @JSBody(params = {"name", "value"}, script = "var u = new URL(location.href);"
            + " u.searchParams.set(name, value); history.replaceState(null, '', u);")
    static native void replaceQueryParameter(String name, String value);

    @JSBody(params = "callback", script = "return requestAnimationFrame(function() { callback(); });")
    static native int requestFrame(Callbacks.OnTick callback);

    @JSBody(params = {"callback", "millis"}, script = "return setTimeout(function() { callback(); }, millis);")
    static native int setTimeout(Callbacks.OnTick callback, int millis);

    @JSBody(params = "message", script = "console.error(message);")
    static native void logError(String message);

    // ---- workers ------------------------------------------------------------------------------

    @JSBody(params = "url", script = "return new Worker(url);")
    static native JSObject createWorker(String url);

    @JSBody(params = {"worker", "message"}, script = "worker.postMessage(message);")
    static native void post(JSObject worker, JSObject message);

    @JSBody(params = {"worker", "message", "transfer"}, script = "worker.postMessage(message, [transfer]);")
    static native void postTransferring(JSObject worker, JSObject message, JSObject transfer);

    @JSBody(params = "handler", script = "self.onmessage = function(e) { handler(e.data); };")
    static native void onMessageToWorker(Callbacks.OnObject handler);

    @JSBody(params = "message", script = "self.postMessage(message);")
    static native void postToPage(JSObject message);

    @JSBody(params = {"message", "transfer"}, script = "self.postMessage(message, [transfer]);")
    static native void postToPageTransferring(JSObject message, JSObject transfer);

    // ---- network ------------------------------------------------------------------------------

    /** POST a file as multipart field {@code image}, reporting upload progress. */
    @JSBody(params = {"url", "file", "onUpload", "onDone"}, script = ""
            + "var form = new FormData(); form.append('image', file, file.name || 'pasted-image');"
            + "var xhr = new XMLHttpRequest(); xhr.open('POST', url);"
            + "xhr.upload.onprogress = function(e) { onUpload(e.loaded, e.lengthComputable ? e.total : 0); };"
            + "xhr.upload.onload = function() { onUpload(file.size, file.size); };"
            + "xhr.onload = function() { onDone(xhr.status, xhr.responseText || ''); };"
            + "xhr.onerror = function() { onDone(0, ''); };"
            + "xhr.send(form);")
    static native void uploadFile(String url, JSObject file, Callbacks.OnProgress onUpload,
                                  Callbacks.OnResponse onDone);

    /**
     * GET bytes with a streaming reader so the page can show a percentage (Content-Length);
     * the browser's HTTP cache serves repeated, immutable URLs.
     */
    @JSBody(params = {"url", "onProgress", "onBytes", "onFailure"}, script = ""
            + "fetch(url).then(function(r) {"
            + "  if (!r.ok) { return r.text().then(function(t) { onFailure(r.status, t); }); }"
            + "  var total = Number(r.headers.get('Content-Length')) || 0;"
            + "  if (!r.body) { return r.arrayBuffer().then(function(b) { onProgress(b.byteLength, b.byteLength);"
            + "    onBytes(b); }); }"
            + "  var reader = r.body.getReader(); var chunks = []; var loaded = 0;"
            + "  function pump() { return reader.read().then(function(step) {"
            + "    if (step.done) { var all = new Uint8Array(loaded); var at = 0;"
            + "      for (var i = 0; i < chunks.length; i++) { all.set(chunks[i], at); at += chunks[i].length; }"
            + "      onBytes(all.buffer); return; }"
            + "    chunks.push(step.value); loaded += step.value.length; onProgress(loaded, total); return pump(); }); }"
            + "  return pump();"
            + "}).catch(function(e) { onFailure(0, String(e)); });")
    static native void fetchBytes(String url, Callbacks.OnProgress onProgress, Callbacks.OnBytes onBytes,
                                  Callbacks.OnFailure onFailure);

    // ---- files, images, canvases ---------------------------------------------------------------

    @JSBody(params = "list", script = "return list && list.length ? list[0] : null;")
    static native JSObject firstFile(JSObject fileList);

    @JSBody(params = "event", script = "var d = event.clipboardData; if (!d) return null;"
            + " if (d.files && d.files.length) return d.files[0];"
            + " for (var i = 0; i < d.items.length; i++) { if (d.items[i].kind === 'file') return d.items[i].getAsFile(); }"
            + " return null;")
    static native JSObject pastedFile(JSObject event);

    @JSBody(params = "blob", script = "return URL.createObjectURL(blob);")
    static native String objectUrl(JSObject blob);

    @JSBody(params = "url", script = "URL.revokeObjectURL(url);")
    static native void revokeObjectUrl(String url);

    @JSBody(params = {"url", "onLoad", "onFailure"}, script = "var img = new Image();"
            + " img.onload = function() { onLoad(img); };"
            + " img.onerror = function() { onFailure(0, 'The image could not be decoded'); };"
            + " img.src = url;")
    static native void loadImage(String url, Callbacks.OnObject onLoad, Callbacks.OnFailure onFailure);

    @JSBody(params = {"width", "height"}, script = "var c = document.createElement('canvas');"
            + " c.width = width; c.height = height; return c;")
    static native JSObject createCanvas(int width, int height);

    @JSBody(params = {"canvas", "width", "height"},
            script = "if (canvas.width !== width) canvas.width = width; if (canvas.height !== height) canvas.height = height;")
    static native void resizeCanvas(JSObject canvas, int width, int height);

    @JSBody(params = "canvas", script = "return canvas.getContext('2d');")
    static native JSObject context2d(JSObject canvas);

    @JSBody(params = {"context", "rgba", "width", "height"}, script = "context.putImageData(new ImageData("
            + "new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, width * height * 4), width, height), 0, 0);")
    static native void putRgba(JSObject context, Int8Array rgba, int width, int height);

    @JSBody(params = {"context", "width", "height"},
            script = "var d = context.getImageData(0, 0, width, height).data; return new Int8Array(d.buffer, d.byteOffset, d.length);")
    static native Int8Array readRgba(JSObject context, int width, int height);

    @JSBody(params = {"context", "image", "x", "y", "w", "h"}, script = "context.drawImage(image, x, y, w, h);")
    static native void drawImage(JSObject context, JSObject image, double x, double y, double w, double h);

    @JSBody(params = {"canvas", "onBlob"}, script = "canvas.toBlob(function(b) { onBlob(b); }, 'image/png');")
    static native void toPngBlob(JSObject canvas, Callbacks.OnObject onBlob);

    @JSBody(params = {"text", "type"}, script = "return new Blob([text], {type: type});")
    static native JSObject textBlob(String text, String type);

    @JSBody(params = {"blob", "filename"}, script = "var url = URL.createObjectURL(blob);"
            + " var a = document.createElement('a'); a.href = url; a.download = filename;"
            + " document.body.appendChild(a); a.click(); a.remove();"
            + " setTimeout(function() { URL.revokeObjectURL(url); }, 10000);")
    static native void download(JSObject blob, String filename);
}
