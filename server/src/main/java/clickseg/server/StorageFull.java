package clickseg.server;

import java.util.Locale;

/**
 * Whether a failure was the disk (or the share database) running out of space: answered 507 with a JSON error
 * that says so, instead of a 500 naming a symptom ("cannot commit - no transaction is active").
 */
final class StorageFull {
    private StorageFull() {
    }

    static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("no space left on device") || message.contains("disk quota exceeded")
                    || message.contains("database or disk is full") || message.contains("sqlite_full")) {
                return true;
            }
        }
        return false;
    }
}
