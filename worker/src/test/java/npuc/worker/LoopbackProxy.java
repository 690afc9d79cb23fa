package npuc.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port in front of another, to take a service away and bring it back: {@link #cut()}
 * closes the listening port and every open connection (clients see connections refused and reset), {@link
 * #restore()} listens on the same port again.
 */
public final class LoopbackProxy implements AutoCloseable {
    private final int target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    public LoopbackProxy(int target) throws IOException {
        this.target = target;
        ServerSocket first = listen(0);
        this.port = first.getLocalPort();
        accept(first);
    }

    public int port() {
        return port;
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void accept(ServerSocket socket) {
        listener = socket;
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(client);
                    open.add(upstream);
                    relay(client, upstream);
                    relay(upstream, client);
                } catch (IOException e) {
                    // Closed by cut(), or the target refused: the client sees its connection end.
                }
            }
        }, "proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void relay(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One side hung up or was cut; the other is closed below.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-relay-" + port);
        pump.setDaemon(true);
        pump.start();
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    /** Takes the service away: no new connections, and the open ones end. */
    public synchronized void cut() throws IOException {
        ServerSocket current = listener;
        listener = null;
        if (current != null) {
            current.close();
        }
        for (Socket socket : Set.copyOf(open)) {
            closeQuietly(socket);
        }
    }

    /** Brings the service back on the same port. */
    public synchronized void restore() throws IOException {
        if (listener == null) {
            accept(listen(port));
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
