package npuc.schedule;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import npuc.frontend.Shape4;

/**
 * Consecutive operations run stripe by stripe, each consumer reading its producer's OFM from a rolling buffer.
 *
 * @param start     index of the first operation
 * @param end       index of the last operation; operations of the cascade name it as their cascade
 * @param buffers   the rolling buffer each operation after the first reads its IFM from, by operation index
 * @param memUsage  memory the cascade itself needs: full first IFM (unless spilling), rolling and weight buffers,
 *                  last OFM; without what other operations hold meanwhile
 */
public record Cascade(int start, int end, Map<Integer, Shape4> buffers, long memUsage) {
    public Cascade {
        buffers = Collections.unmodifiableMap(new TreeMap<>(buffers));
    }
}
