package clickseg.web.js;

import java.util.function.Consumer;
import org.teavm.jso.JSObject;

/**
 * The page's words: the stage line with its progress bar, the info items beside it, and the error
 * banner. Every failure is said in the banner; an embed hears it too.
 */
final class StatusBar {
    private Consumer<String> errorListener = message -> { };

    /** Also told every error the banner shows (the embed bridge passes them to its host). */
    void onError(Consumer<String> listener) {
        errorListener = listener;
    }

    void stage(String stage, String text, int percent) {
        JSObject status = Browser.byId("status");
        Browser.setAttribute(status, "data-stage", stage);
        Browser.setText(Browser.byId("status-text"), text);
        JSObject bar = Browser.byId("progress");
        boolean busy = !"ready".equals(stage) && !"idle".equals(stage);
        Browser.setHidden(bar, !busy);
        Browser.toggleClass(bar, "indeterminate", percent < 0);
        Browser.setStyle(Browser.byId("progress-bar"), "width", (percent < 0 ? 100 : percent) + "%");
    }

    void info(String id, String text) {
        Browser.setText(Browser.byId(id), text);
    }

    /** What belongs to one image's masks: the mask line and the last decode's time. */
    void clearMaskInfo() {
        info("info-mask", "");
        info("info-timing", "");
    }

    void error(String message) {
        Browser.setText(Browser.byId("error-text"), message);
        Browser.setHidden(Browser.byId("error"), false);
        errorListener.accept(message);
    }

    void hideError() {
        Browser.setHidden(Browser.byId("error"), true);
    }

    /** A failed request in words: the server's own message when it sent one. */
    static String serverFailure(int status, String body) {
        if (status == 0) {
            return "The server cannot be reached. Check that it is running, then try again.";
        }
        JSObject json = Browser.parseJson(body);
        if (json != null && Browser.has(json, "message")) {
            return Browser.string(json, "message");
        }
        if (status == 413) {
            return "The image is too large for the server.";
        }
        if (status == 415) {
            return "The file is not an image the server can read.";
        }
        return "The server answered with an error (HTTP " + status + ").";
    }

    static String iou(float iou) {
        int hundredths = Math.max(0, Math.min(100, Math.round(iou * 100)));
        if (hundredths == 100) {
            return "1.00";
        }
        return "0." + (hundredths < 10 ? "0" : "") + hundredths;
    }

    /** A share of the image for a person: "31%", or "<1%" for a sliver that is still there. */
    static String percent(double fraction) {
        long percent = Math.round(fraction * 100);
        return percent == 0 && fraction > 0 ? "<1%" : percent + "%";
    }

    static String thousands(long n) {
        String digits = String.valueOf(n);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                out.append(',');
            }
            out.append(digits.charAt(i));
        }
        return out.toString();
    }

    static String megabytes(double bytes) {
        return Math.round(bytes / 1048576.0 * 10) / 10.0 + " MB";
    }

    static String encodeComponent(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.') {
                out.append(c);
            } else {
                out.append('%').append(Character.forDigit((c >> 4) & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return out.toString();
    }
}
