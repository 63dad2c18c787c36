package clickseg.e2e;

import java.io.IOException;

/**
 * The server the stories run against: the URL in system property {@code clickseg.e2e.baseUrl}
 * when given (a running real server), else a {@link StandInServer} started for the test class.
 * When the real server module is merged, the lead starts it here on a free port instead.
 */
final class ClicksegServer implements AutoCloseable {
    private final StandInServer standIn;
    private final String baseUrl;

    private ClicksegServer(StandInServer standIn, String baseUrl) {
        this.standIn = standIn;
        this.baseUrl = baseUrl;
    }

    static ClicksegServer start() throws IOException {
        String external = System.getProperty("clickseg.e2e.baseUrl");
        if (external != null && !external.isBlank()) {
            return new ClicksegServer(null, external.endsWith("/") ? external : external + "/");
        }
        StandInServer server = new StandInServer();
        return new ClicksegServer(server, server.baseUrl());
    }

    String baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() {
        if (standIn != null) {
            standIn.close();
        }
    }
}
