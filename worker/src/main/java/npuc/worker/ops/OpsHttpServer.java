package npuc.worker.ops;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The worker's HTTP endpoints for the platform: liveness, readiness (200 or 503, with each check and why it
 * fails as JSON) and the Prometheus metrics. Only GET and HEAD are served.
 *
 * <p>Jetty reads requests without holding a thread, so clients that send half a request and stop hold only
 * their connection, never the threads that answer the probes; a connection quiet for the request time limit is
 * closed, and the connections open at once are bounded.
 */
public final class OpsHttpServer implements AutoCloseable {
    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";
    public static final String METRICS_PATH = "/metrics";
    /** The Prometheus text format that {@link WorkerMetrics#scrape()} writes. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** A connection that sends or reads nothing for this long is closed, half-sent request or not. */
    public static final Duration REQUEST_TIME_LIMIT = Duration.ofSeconds(5);
    /** Threads answering requests (Jetty's acceptor and selector included). */
    public static final int THREADS = 8;
    /** Connections open at once; more wait to be accepted. */
    public static final int MAX_CONNECTIONS = 64;

    private final Server server;
    private final ServerConnector connector;
    private final ObjectMapper json = new ObjectMapper();

    private OpsHttpServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Serves on {@code bindAddress} at {@code port} (0: a free port, see {@link #port()}). */
    public static OpsHttpServer start(String bindAddress, int port, Supplier<Health> liveness,
            Supplier<Health> readiness, WorkerMetrics metrics) {
        QueuedThreadPool threads = new QueuedThreadPool(THREADS, 2);
        threads.setName("npuc-http");
        threads.setDaemon(true);
        threads.setReservedThreads(0);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bindAddress);
        connector.setPort(port);
        connector.setIdleTimeout(REQUEST_TIME_LIMIT.toMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        OpsHttpServer ops = new OpsHttpServer(server, connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                ops.answer(request, response, callback, liveness, readiness, metrics);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            ops.close();
            throw new HttpPortUnavailableException(bindAddress, port, e);
        }
        return ops;
    }

    public int port() {
        return connector.getLocalPort();
    }

    private void answer(Request request, Response response, Callback callback, Supplier<Health> liveness,
            Supplier<Health> readiness, WorkerMetrics metrics) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            send(request, response, callback, 405, "text/plain; charset=utf-8", "");
            return;
        }
        switch (request.getHttpURI().getPath()) {
            case LIVE_PATH -> health(request, response, callback, liveness.get());
            case READY_PATH -> health(request, response, callback, readiness.get());
            case METRICS_PATH -> send(request, response, callback, 200, METRICS_CONTENT_TYPE, metrics.scrape());
            default -> send(request, response, callback, 404, "text/plain; charset=utf-8", "");
        }
    }

    private void health(Request request, Response response, Callback callback, Health health) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", health.up() ? "UP" : "DOWN");
        Map<String, Object> checks = new LinkedHashMap<>();
        for (Health.Check check : health.checks()) {
            checks.put(check.name(), Map.of("ok", check.ok(), "detail", check.detail()));
        }
        body.put("checks", checks);
        body.put("reasons", health.reasons());
        String text;
        try {
            text = json.writeValueAsString(body) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and booleans always serialises", e);
        }
        send(request, response, callback, health.up() ? 200 : 503, "application/json", text);
    }

    private static void send(Request request, Response response, Callback callback, int status, String contentType,
            String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        boolean head = request.getMethod().equals("HEAD");
        response.write(true, head ? null : ByteBuffer.wrap(bytes), callback);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping a server that failed to start, or whose clients hang up meanwhile: nothing is left to free.
        }
    }
}
