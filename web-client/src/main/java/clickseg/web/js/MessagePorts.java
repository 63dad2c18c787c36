package clickseg.web.js;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;

/**
 * MessageChannel plumbing for the decoder workers: two workers splitting one decode exchange their
 * softmax partials over a channel of their own instead of through the page, so a merge costs one
 * hop, not two, and never waits for the page's main thread.
 */
final class MessagePorts {
    private MessagePorts() {
    }

    /** A new channel: {@code {port1, port2}}, each end to give to one worker. */
    @JSBody(script = "return new MessageChannel();")
    static native JSObject channel();

    @JSBody(params = {"channel", "which"}, script = "return which === 1 ? channel.port1 : channel.port2;")
    static native JSObject port(JSObject channel, int which);

    /** Posts a message to a worker, transferring the listed ports (a JS array) with it. */
    @JSBody(params = {"worker", "message", "ports"}, script = "worker.postMessage(message, ports);")
    static native void postWithPorts(JSObject worker, JSObject message, JSObject ports);

    @JSBody(script = "return [];")
    static native JSObject list();

    @JSBody(params = {"list", "value"}, script = "list.push(value);")
    static native void add(JSObject list, JSObject value);

    /** Every message arriving on the port goes to the handler (setting onmessage also starts the port). */
    @JSBody(params = {"port", "handler"}, script = "port.onmessage = function(portEvent) { handler(portEvent.data); };")
    static native void listen(JSObject port, Callbacks.OnObject handler);

    @JSBody(params = {"port", "message"}, script = "port.postMessage(message);")
    static native void post(JSObject port, JSObject message);
}
