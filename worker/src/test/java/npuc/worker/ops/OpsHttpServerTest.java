package npuc.worker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The ops endpoints answer however many clients hang half-way through a request, and listen where told. */
class OpsHttpServerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static OpsHttpServer start(String bind) {
        Health up = new Health(true, List.of(new Health.Check("worker", true, "running")));
        return OpsHttpServer.start(bind, 0, () -> up, () -> up, new WorkerMetrics());
    }

    private static HttpResponse<String> get(int port, String path, String method) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void livenessAnswersAtOnceWhileManyClientsHangHalfWayThroughTheirRequest() throws Exception {
        try (OpsHttpServer server = start("127.0.0.1")) {
            List<Socket> hanging = new ArrayList<>();
            try {
                for (int i = 0; i < OpsHttpServer.THREADS * 4; i++) {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                    socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                    hanging.add(socket);
                }
                long start = System.nanoTime();
                HttpResponse<String> live = get(server.port(), OpsHttpServer.LIVE_PATH, "GET");
                assertEquals(200, live.statusCode());
                assertTrue(live.body().startsWith("{\"status\":\"UP\""), live.body());
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos());
            } finally {
                for (Socket socket : hanging) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aHalfSentRequestIsClosedAfterTheRequestTimeLimit() throws Exception {
        try (OpsHttpServer server = start("127.0.0.1");
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout((int) OpsHttpServer.REQUEST_TIME_LIMIT.multipliedBy(4).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // Whatever the server says before it hangs up; the point is that it does.
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(waited.compareTo(OpsHttpServer.REQUEST_TIME_LIMIT.multipliedBy(3)) < 0, "closed after " + waited);
        }
    }

    @Test
    void onlyGetAndHeadOfTheThreePathsAreServed() throws Exception {
        try (OpsHttpServer server = start("127.0.0.1")) {
            assertEquals(200, get(server.port(), OpsHttpServer.READY_PATH, "HEAD").statusCode());
            assertEquals(OpsHttpServer.METRICS_CONTENT_TYPE,
                get(server.port(), OpsHttpServer.METRICS_PATH, "GET").headers().firstValue("Content-Type").orElseThrow());
            assertEquals(404, get(server.port(), "/metricsfoo", "GET").statusCode());
            HttpResponse<String> post = get(server.port(), OpsHttpServer.LIVE_PATH, "POST");
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
        }
    }

    @Test
    void theBindAddressDecidesWhoCanConnect() throws Exception {
        InetAddress other = nonLoopbackAddress();
        try (OpsHttpServer server = start("127.0.0.1")) {
            assertEquals(200, get(server.port(), OpsHttpServer.LIVE_PATH, "GET").statusCode());
            if (other != null) {
                assertThrows(IOException.class, () -> new Socket(other, server.port()).close(),
                    "not listening on " + other);
            }
        }
        assertThrows(HttpPortUnavailableException.class, () -> start("192.0.2.1"), "an address this host does not have");
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                if (!address.isLoopbackAddress() && address instanceof java.net.Inet4Address) {
                    return address;
                }
            }
        }
        return null;
    }
}
