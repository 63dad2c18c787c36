package clickseg.web.session;

import java.util.ArrayList;
import java.util.List;

/**
 * An image's recent labels in the order they were first used, each once (ignoring case), at most nine:
 * the keys 1-9 and the label chips pick from them, so a person naming the fifth dog types it once. The
 * order is kept stable (a label's key does not move when it is used again); past nine the oldest goes.
 */
public final class RecentLabels {
    public static final int CAPACITY = 9;
    private final List<String> labels = new ArrayList<>();

    /** Remembers label (once; blank labels are not remembered). */
    public void use(String label) {
        String l = label == null ? "" : label.strip();
        if (l.isEmpty()) {
            return;
        }
        for (String known : labels) {
            if (known.equalsIgnoreCase(l)) {
                return;
            }
        }
        labels.add(l);
        while (labels.size() > CAPACITY) {
            labels.remove(0);
        }
    }

    /** The n-th label (1-based, as the keys name them), or null. */
    public String get(int n) {
        return n >= 1 && n <= labels.size() ? labels.get(n - 1) : null;
    }

    public List<String> all() {
        return List.copyOf(labels);
    }
}
