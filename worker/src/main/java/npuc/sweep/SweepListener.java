package npuc.sweep;

import java.util.Optional;

/** Told of each point as a run starts and ends it; called from many threads. */
public interface SweepListener {
    void started(SweepPoint point);

    /** @param perLayerCsv Vela's per-layer table of the point, when the sweep keeps them and it compiled */
    void finished(PointResult result, Optional<String> perLayerCsv);
}
