package npuc.worker.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The worker's HTTP endpoints for the platform: liveness, readiness (200 or 503, with each check and
 * why it fails as JSON) and the Prometheus metrics. Only GET and HEAD are served.
 */
public final class OpsHttpServer implements AutoCloseable {
    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";
    public static final String METRICS_PATH = "/metrics";
    /** The Prometheus text format that {@link WorkerMetrics#scrape()} writes. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json = new ObjectMapper();

    private OpsHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Serves on all interfaces at {@code port} (0: a free port, see {@link #port()}). */
    public static OpsHttpServer start(int port, Supplier<Health> liveness, Supplier<Health> readiness,
            WorkerMetrics metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new HttpPortUnavailableException(port, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "npuc-http");
            thread.setDaemon(true);
            return thread;
        });
        OpsHttpServer ops = new OpsHttpServer(server, executor);
        server.createContext(LIVE_PATH, exchange -> ops.health(exchange, liveness.get()));
        server.createContext(READY_PATH, exchange -> ops.health(exchange, readiness.get()));
        server.createContext(METRICS_PATH, exchange -> ops.send(exchange, 200, METRICS_CONTENT_TYPE, metrics.scrape()));
        server.setExecutor(executor);
        server.start();
        return ops;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void health(HttpExchange exchange, Health health) throws IOException {
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
        send(exchange, health.up() ? 200 : 503, "application/json", text);
    }

    private void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            // A context matches by prefix: /metricsfoo is not /metrics.
            String path = exchange.getRequestURI().getPath();
            if (!path.equals(exchange.getHttpContext().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
