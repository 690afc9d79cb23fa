package npuc.perf;

/**
 * Elements one operation moves (not bytes: callers scale by element size).
 *
 * @param ifmRead        IFM elements read, counting re-reads per OFM block and sub-kernel
 * @param ifm2Read       second-IFM elements read
 * @param ofmWrite       OFM elements written, rounded to the storage layout
 * @param weightsRefetch OFM blocks in the width-height plane: how often the weights are streamed
 * @param weightRead     weight elements read
 * @param scaleRead      scale-and-bias records read (one per OFM channel)
 */
public record ElementAccess(long ifmRead, long ifm2Read, long ofmWrite, long weightsRefetch, long weightRead,
                           long scaleRead) {
}
