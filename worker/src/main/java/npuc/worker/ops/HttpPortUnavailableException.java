package npuc.worker.ops;

/** The health and metrics endpoints cannot listen on the configured address and port (in use, or not permitted). */
public final class HttpPortUnavailableException extends RuntimeException {
    public HttpPortUnavailableException(String bindAddress, int port, Throwable cause) {
        super("cannot serve health and metrics on " + bindAddress + ":" + port + ": " + cause.getMessage(), cause);
    }
}
