package clickseg.server.web;

import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cap on the connections one client address holds open: the one past the cap is closed as soon as it opens,
 * before a byte of it is read, so a single host cannot take every request thread or file descriptor with slow
 * connections. Loopback counts like any other address (the hostile-traffic tests attack from 127.0.0.x).
 */
public final class ConnectionsPerAddress implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionsPerAddress.class);

    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** Each open connection's address: a closed socket no longer says where it came from. */
    private final ConcurrentHashMap<Connection, InetAddress> addresses = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    public ConnectionsPerAddress(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = addressOf(connection);
        if (address == null) {
            return;
        }
        addresses.put(connection, address);
        int now = open.merge(address, 1, Integer::sum);
        if (now > max) {
            long total = refused.incrementAndGet();
            if (total == 1 || total % 1000 == 0) { // one line per burst, not one per connection
                LOG.info("closed a connection from {}: it already holds {} (limit {}); {} refused so far",
                        address.getHostAddress(), max, max, total);
            }
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = addresses.remove(connection);
        if (address != null) {
            open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Connections refused since start. */
    public long refused() {
        return refused.get();
    }

    private static InetAddress addressOf(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
