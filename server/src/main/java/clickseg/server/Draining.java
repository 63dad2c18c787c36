package clickseg.server;

/**
 * Set once a shutdown begins: from then on uploads (which would start encodings) are answered 503 with
 * Retry-After, so a load balancer sends them to another replica, while the encodings already running finish.
 */
public final class Draining {
    private volatile boolean draining;

    public void start() {
        draining = true;
    }

    public boolean active() {
        return draining;
    }
}
