package npuc.worker.ops;

/** The health and metrics endpoints cannot listen on the configured port (in use, or not permitted). */
public final class HttpPortUnavailableException extends RuntimeException {
    public HttpPortUnavailableException(int port, Throwable cause) {
        super("cannot serve health and metrics on port " + port + ": " + cause.getMessage(), cause);
    }
}
