package npuc.embedded;

import java.io.IOException;
import java.net.URI;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-compatible endpoint on a loopback port, backed by S3Proxy's in-memory ("transient") blob store.
 * It checks AWS signatures, so clients use the static credentials it reports.
 */
public final class EmbeddedS3Endpoint implements AutoCloseable {
    public static final String ACCESS_KEY = "npuc-access";
    public static final String SECRET_KEY = "npuc-secret-key";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;

    private EmbeddedS3Endpoint(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
    }

    public static EmbeddedS3Endpoint start() {
        try {
            return start(EmbeddedKafkaBroker.freePort());
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the embedded S3 endpoint", e);
        }
    }

    /** Starts on a given loopback port. */
    public static EmbeddedS3Endpoint start(int port) {
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
            .credentials(ACCESS_KEY, SECRET_KEY)
            .overrides(new Properties())
            .build(BlobStoreContext.class);
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
            proxy.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
                }
                Thread.sleep(10);
            }
            return new EmbeddedS3Endpoint(proxy, context, endpoint);
        } catch (InterruptedException e) {
            context.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the embedded S3 endpoint", e);
        } catch (Exception e) {
            context.close();
            throw new IllegalStateException("cannot start the embedded S3 endpoint", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            // Jetty reports failures to stop a connector that is closing anyway; the port is released regardless.
        } finally {
            context.close();
        }
    }
}
