package npuc.worker.ops;

import java.time.Duration;
import java.util.Objects;

/**
 * How the worker reports on itself.
 *
 * @param httpPort port of the health and metrics endpoints; 0 picks a free one, {@link #DISABLED} serves none
 * @param bindAddress the address they listen on: all interfaces by default, {@code 127.0.0.1} for this host only
 * @param probeBucket the bucket whose answer to HEAD makes S3 count as reachable for readiness
 * @param probeInterval how often the bucket is asked; readiness wants an answer younger than three intervals
 * @param maxLoopSilence liveness fails when the consume loop has not gone round for this long
 */
public record OpsSettings(int httpPort, String bindAddress, String probeBucket, Duration probeInterval,
        Duration maxLoopSilence) {
    public static final int DISABLED = -1;
    public static final int DEFAULT_PORT = 8080;
    public static final String ALL_INTERFACES = "0.0.0.0";
    public static final String DEFAULT_PROBE_BUCKET = "artifacts";

    public OpsSettings {
        if (httpPort < DISABLED || httpPort > 65535) {
            throw new IllegalArgumentException("HTTP port must be 0 to 65535, or -1 to serve no endpoints: " + httpPort);
        }
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (bindAddress.isBlank()) {
            throw new IllegalArgumentException("the HTTP bind address must be named (0.0.0.0 for all interfaces)");
        }
        Objects.requireNonNull(probeBucket, "probeBucket");
        if (probeBucket.isBlank()) {
            throw new IllegalArgumentException("the S3 probe bucket must be named");
        }
        if (probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException("the S3 probe interval must be positive");
        }
        Objects.requireNonNull(maxLoopSilence, "maxLoopSilence");
    }

    public static OpsSettings defaults() {
        return new OpsSettings(DEFAULT_PORT, ALL_INTERFACES, DEFAULT_PROBE_BUCKET, Duration.ofSeconds(10),
            Duration.ofMinutes(2));
    }

    public OpsSettings withHttpPort(int port) {
        return new OpsSettings(port, bindAddress, probeBucket, probeInterval, maxLoopSilence);
    }

    public OpsSettings withBindAddress(String address) {
        return new OpsSettings(httpPort, address, probeBucket, probeInterval, maxLoopSilence);
    }

    public OpsSettings withProbe(String bucket, Duration interval) {
        return new OpsSettings(httpPort, bindAddress, bucket, interval, maxLoopSilence);
    }

    public Duration maxProbeAge() {
        return probeInterval.multipliedBy(3);
    }
}
