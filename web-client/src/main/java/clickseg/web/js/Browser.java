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
 *
 * <p>Scripts name their local variables and inner-function parameters with whole words:
 * TeaVM 0.16's JavaScript backend renames the parameters to single letters but not the locals,
 * so a local {@code var c} silently overwrote the second parameter (a blank canvas in the JS
 * build only).
 */
final class Browser {
    private Browser() {
    }

    // ---- DOM --------------------------------------------------------------------------------

    @JSBody(params = "id", script = "return document.getElementById(id);")
    static native JSObject byId(String id);

    /** JSON text of a value (a message or a parsed answer), for shared's readers. */
    @JSBody(params = "value", script = "return JSON.stringify(value === undefined ? null : value);")
    static native String stringify(JSObject value);

    @JSBody(params = "selector", script = "return document.querySelector(selector);")
    static native JSObject querySelector(String selector);

    @JSBody(params = {"element", "name"}, script = "return element.getAttribute(name);")
    static native String attribute(JSObject element, String name);

    /** Whether an event happened inside element (or on it). */
    @JSBody(params = {"event", "element"}, script = "return element.contains(event.target);")
    static native boolean isInside(JSObject event, JSObject element);

    /** Whether an event's target is a button, or inside one. */
    @JSBody(params = "event", script = "return !!(event.target && event.target.closest && event.target.closest('button'));")
    static native boolean isButtonTarget(JSObject event);

    /** Whether the primary pointer is coarse (a finger): hints then say "tap". */
    @JSBody(script = "return !!(window.matchMedia && window.matchMedia('(pointer: coarse)').matches);")
    static native boolean coarsePointer();

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
            script = "var created = document.createElement(tag); created.className = className; return created;")
    static native JSObject createElement(String tag, String className);

    @JSBody(params = {"parent", "child"}, script = "parent.appendChild(child);")
    static native void append(JSObject parent, JSObject child);

    @JSBody(params = "element", script = "element.replaceChildren();")
    static native void removeChildren(JSObject element);

    @JSBody(params = "element", script = "return element.value === undefined || element.value === null ? '' : String(element.value);")
    static native String value(JSObject element);

    @JSBody(params = {"object", "key", "value"}, script = "object[key] = value;")
    static native void putBoolean(JSObject object, String key, boolean value);

    @JSBody(params = {"element", "text"}, script = "element.value = text;")
    static native void setValue(JSObject element, String text);

    @JSBody(params = "element", script = "element.focus();")
    static native void focus(JSObject element);

    @JSBody(params = "element", script = "element.blur();")
    static native void blur(JSObject element);

    /** The focused element's data-object-id when it is an object's label field, else -1. */
    @JSBody(script = "var focused = document.activeElement;"
            + " return focused && focused.classList && focused.classList.contains('object-label')"
            + " ? Number(focused.getAttribute('data-object-id')) : -1;")
    static native int focusedLabelObject();

    /** Whether the key event comes from a field that takes text (its keys are typing, not shortcuts). */
    @JSBody(params = "event", script = "var target = event.target;"
            + " return !!(target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable));")
    static native boolean isTyping(JSObject event);

    @JSBody(params = {"element", "name"}, script = "return element.hasAttribute(name);")
    static native boolean attributeFlag(JSObject element, String name);

    /** Whether a key event is aimed at the image (the page itself or the canvas), not at a control. */
    @JSBody(params = "event", script = "var target = event.target;"
            + " return !target || target === document.body || target === document.documentElement || target.id === 'canvas';")
    static native boolean isOnImage(JSObject event);

    /** Whether a dialog (share, export, shortcuts) is open: page shortcuts then stay quiet. */
    @JSBody(script = "return !!document.querySelector('[role=dialog]:not([hidden])');")
    static native boolean dialogOpen();

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

    /** Calls back whenever the element's box changes size (window resize, banners, zoom). */
    @JSBody(params = {"element", "callback"},
            script = "new ResizeObserver(function() { callback(); }).observe(element);")
    static native void onResize(JSObject element, Callbacks.OnTick callback);

    @JSBody(script = "return window;")
    static native JSObject window();

    @JSBody(script = "return document;")
    static native JSObject document();

    @JSBody(params = "event", script = "event.preventDefault();")
    static native void preventDefault(JSObject event);

    @JSBody(params = {"element", "pointerId"}, script = "try { element.setPointerCapture(pointerId); } catch (captureError) {}")
    static native void capturePointer(JSObject element, int pointerId);

    // ---- plain JavaScript values --------------------------------------------------------------

    @JSBody(params = {"object", "key"}, script = "return object[key] != null;")
    static native boolean has(JSObject object, String key);

    @JSBody(params = {"object", "key"}, script = "return Number(object[key]);")
    static native double number(JSObject object, String key);

    @JSBody(params = {"array", "index"}, script = "return Number(array[index]);")
    static native double numberAt(JSObject array, int index);

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

    @JSBody(params = "text", script = "try { var parsed = JSON.parse(text); return typeof parsed === 'object' ? parsed : null; }"
            + " catch (parseError) { return null; }")
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

    @JSBody(params = {"name", "value"}, script = "var address = new URL(location.href);"
            + " address.searchParams.set(name, value); history.replaceState(null, '', address);")
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

    @JSBody(params = "handler", script = "self.onmessage = function(messageEvent) { handler(messageEvent.data); };")
    static native void onMessageToWorker(Callbacks.OnObject handler);

    @JSBody(params = "message", script = "self.postMessage(message);")
    static native void postToPage(JSObject message);

    @JSBody(params = {"message", "transfer"}, script = "self.postMessage(message, [transfer]);")
    static native void postToPageTransferring(JSObject message, JSObject transfer);

    // ---- network ------------------------------------------------------------------------------

    /** POST a file as multipart field {@code image}, reporting upload progress. */
    @JSBody(params = {"url", "file", "onUpload", "onDone"}, script = ""
            + "var uploadForm = new FormData(); uploadForm.append('image', file, file.name || 'pasted-image');"
            + "var uploadRequest = new XMLHttpRequest(); uploadRequest.open('POST', url);"
            + "uploadRequest.upload.onprogress = function(progressEvent) {"
            + "  onUpload(progressEvent.loaded, progressEvent.lengthComputable ? progressEvent.total : 0); };"
            + "uploadRequest.upload.onload = function() { onUpload(file.size, file.size); };"
            + "uploadRequest.onload = function() { onDone(uploadRequest.status, uploadRequest.responseText || ''); };"
            + "uploadRequest.onerror = function() { onDone(0, ''); };"
            + "uploadRequest.send(uploadForm);")
    static native void uploadFile(String url, JSObject file, Callbacks.OnProgress onUpload,
                                  Callbacks.OnResponse onDone);

    /**
     * GET bytes with a streaming reader so the page can show a percentage (Content-Length);
     * the browser's HTTP cache serves repeated, immutable URLs.
     */
    @JSBody(params = {"url", "onProgress", "onBytes", "onFailure"}, script = ""
            + "fetch(url).then(function(response) {"
            + "  if (!response.ok) { return response.text().then(function(bodyText) {"
            + "    onFailure(response.status, bodyText); }); }"
            + "  var totalBytes = Number(response.headers.get('Content-Length')) || 0;"
            + "  if (!response.body) { return response.arrayBuffer().then(function(whole) {"
            + "    onProgress(whole.byteLength, whole.byteLength); onBytes(whole); }); }"
            + "  var streamReader = response.body.getReader(); var chunkList = []; var loadedBytes = 0;"
            + "  function pumpChunks() { return streamReader.read().then(function(step) {"
            + "    if (step.done) { var joined = new Uint8Array(loadedBytes); var position = 0;"
            + "      for (var chunkIndex = 0; chunkIndex < chunkList.length; chunkIndex++) {"
            + "        joined.set(chunkList[chunkIndex], position); position += chunkList[chunkIndex].length; }"
            + "      onBytes(joined.buffer); return; }"
            + "    chunkList.push(step.value); loadedBytes += step.value.length;"
            + "    onProgress(loadedBytes, totalBytes); return pumpChunks(); }); }"
            + "  return pumpChunks();"
            + "}).catch(function(fetchError) { onFailure(0, String(fetchError)); });")
    static native void fetchBytes(String url, Callbacks.OnProgress onProgress, Callbacks.OnBytes onBytes,
                                  Callbacks.OnFailure onFailure);

    /** GET text (JSON answers); status 0 when the server cannot be reached. */
    @JSBody(params = {"url", "onDone"}, script = ""
            + "fetch(url).then(function(response) { return response.text().then(function(bodyText) {"
            + "  onDone(response.status, bodyText); }); })"
            + ".catch(function() { onDone(0, ''); });")
    static native void fetchText(String url, Callbacks.OnResponse onDone);

    /** POST a JSON text, answer as text; status 0 when the server cannot be reached. */
    @JSBody(params = {"url", "json", "onDone"}, script = ""
            + "fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: json})"
            + ".then(function(response) { return response.text().then(function(bodyText) {"
            + "  onDone(response.status, bodyText); }); })"
            + ".catch(function() { onDone(0, ''); });")
    static native void postJson(String url, String json, Callbacks.OnResponse onDone);

    /** DELETE, answer ignored (best effort: e.g. cancelling a job nobody follows any more). */
    @JSBody(params = "url", script = "fetch(url, {method: 'DELETE'}).catch(function() {});")
    static native void deleteQuietly(String url);

    @JSBody(params = "array", script = "return array && array.length ? array.length : 0;")
    static native int arrayLength(JSObject array);

    @JSBody(params = {"array", "index"}, script = "return array[index];")
    static native JSObject at(JSObject array, int index);

    /** The model marked default in a /api/models answer, else the first, else null. */
    @JSBody(params = "answer", script = ""
            + "var modelList = answer && answer.models ? answer.models : [];"
            + "for (var modelIndex = 0; modelIndex < modelList.length; modelIndex++) {"
            + "  if (modelList[modelIndex]['default']) { return modelList[modelIndex]; } }"
            + "return modelList.length ? modelList[0] : null;")
    static native JSObject defaultModel(JSObject answer);

    // ---- files, images, canvases ---------------------------------------------------------------

    @JSBody(params = "list", script = "return list && list.length ? list[0] : null;")
    static native JSObject firstFile(JSObject fileList);

    @JSBody(params = "event", script = "var clip = event.clipboardData; if (!clip) return null;"
            + " if (clip.files && clip.files.length) return clip.files[0];"
            + " for (var itemIndex = 0; itemIndex < clip.items.length; itemIndex++) {"
            + "   if (clip.items[itemIndex].kind === 'file') return clip.items[itemIndex].getAsFile(); }"
            + " return null;")
    static native JSObject pastedFile(JSObject event);

    @JSBody(params = "blob", script = "return URL.createObjectURL(blob);")
    static native String objectUrl(JSObject blob);

    @JSBody(params = "url", script = "URL.revokeObjectURL(url);")
    static native void revokeObjectUrl(String url);

    /** Loads and fully decodes an image, so that drawing it right away paints its pixels. */
    @JSBody(params = {"url", "onLoad", "onFailure"}, script = "var imageElement = new Image(); imageElement.src = url;"
            + " imageElement.decode().then(function() { onLoad(imageElement); },"
            + " function() { onFailure(0, 'The image could not be decoded'); });")
    static native void loadImage(String url, Callbacks.OnObject onLoad, Callbacks.OnFailure onFailure);

    @JSBody(params = {"width", "height"}, script = "var canvasElement = document.createElement('canvas');"
            + " canvasElement.width = width; canvasElement.height = height; return canvasElement;")
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
            script = "var pixelBytes = context.getImageData(0, 0, width, height).data;"
            + " return new Int8Array(pixelBytes.buffer, pixelBytes.byteOffset, pixelBytes.length);")
    static native Int8Array readRgba(JSObject context, int width, int height);

    @JSBody(params = {"context", "image", "x", "y", "w", "h"}, script = "context.drawImage(image, x, y, w, h);")
    static native void drawImage(JSObject context, JSObject image, double x, double y, double w, double h);

    @JSBody(params = {"canvas", "onBlob"}, script = "canvas.toBlob(function(pngBlob) { onBlob(pngBlob); }, 'image/png');")
    static native void toPngBlob(JSObject canvas, Callbacks.OnObject onBlob);

    @JSBody(params = {"bytes", "type"}, script = "return new Blob([bytes], {type: type});")
    static native JSObject bytesBlob(Int8Array bytes, String type);

    /** The checked radio button's value in a group, or null. */
    @JSBody(params = "name", script = "var checkedRadio = document.querySelector('input[name=\"' + name + '\"]:checked');"
            + " return checkedRadio ? checkedRadio.value : null;")
    static native String checkedValue(String name);

    @JSBody(params = {"text", "type"}, script = "return new Blob([text], {type: type});")
    static native JSObject textBlob(String text, String type);

    @JSBody(params = {"blob", "filename"}, script = "var downloadUrl = URL.createObjectURL(blob);"
            + " var anchor = document.createElement('a'); anchor.href = downloadUrl; anchor.download = filename;"
            + " document.body.appendChild(anchor); anchor.click(); anchor.remove();"
            + " setTimeout(function() { URL.revokeObjectURL(downloadUrl); }, 10000);")
    static native void download(JSObject blob, String filename);
}
