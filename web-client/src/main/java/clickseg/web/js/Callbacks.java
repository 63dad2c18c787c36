package clickseg.web.js;

import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;

/** The shapes of JavaScript callbacks the page and the worker hand to browser APIs. */
final class Callbacks {
    private Callbacks() {
    }

    @JSFunctor
    interface OnEvent extends JSObject {
        void handle(JSObject event);
    }

    @JSFunctor
    interface OnProgress extends JSObject {
        /** total is 0 when the size is unknown. */
        void progress(double loaded, double total);
    }

    @JSFunctor
    interface OnResponse extends JSObject {
        /** HTTP status and body text; status 0 means the server could not be reached. */
        void response(int status, String body);
    }

    @JSFunctor
    interface OnBytes extends JSObject {
        void bytes(JSObject arrayBuffer);
    }

    @JSFunctor
    interface OnFailure extends JSObject {
        void failed(int status, String message);
    }

    @JSFunctor
    interface OnObject extends JSObject {
        void accept(JSObject value);
    }

    @JSFunctor
    interface OnTick extends JSObject {
        void tick();
    }
}
