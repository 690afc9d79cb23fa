package npuc.weights;

import java.util.Arrays;

/**
 * Decoder of the compressed weight stream, written from the format: slice headers, palettes, chunks of
 * unary parts followed by the previous chunk's remainders, zero runs interleaved with weights, and the end
 * marker with its padding. It checks the stream as it goes, so a test fails on a malformed stream.
 */
final class WeightStreamDecoder {
    /** Decoded weights and the bytes the stream occupied, padding included. */
    record Decoded(short[] weights, int length) {
    }

    private final byte[] data;
    private final int start;
    private long bit;

    private WeightStreamDecoder(byte[] data, int start) {
        this.data = data;
        this.start = start;
        this.bit = (long) start * 8;
    }

    static short[] decode(byte[] stream) {
        Decoded d = decode(stream, 0);
        if (d.length() != stream.length) {
            throw new IllegalStateException("stream of " + stream.length + " bytes ends after " + d.length());
        }
        return d.weights();
    }

    /** Decodes the stream starting at {@code offset}, which ends at the first end marker and its padding. */
    static Decoded decode(byte[] data, int offset) {
        return new WeightStreamDecoder(data, offset).run();
    }

    private int get(int width) {
        int v = 0;
        for (int i = 0; i < width; i++) {
            int index = (int) (bit >>> 3);
            if (index >= data.length) {
                throw new IllegalStateException("stream runs past the end of the data at byte " + index);
            }
            v |= ((data[index] >> (bit & 7)) & 1) << i;
            bit++;
        }
        return v;
    }

    private Decoded run() {
        short[] out = new short[64];
        int n = 0;
        int[] palette = new int[0];
        int paletteBits = 2;
        int directOffset = 0;
        boolean first = true;
        boolean previousZeroRuns = false;
        while (true) {
            int zdiv = get(3);
            if (zdiv == 7) {
                break;
            }
            if (zdiv > 3 && zdiv != 6) {
                throw new IllegalStateException("zero-run divisor " + zdiv);
            }
            boolean zeroRuns = zdiv != 6;
            int count = get(15) + 1;
            int wdiv = get(3);
            boolean truncated = get(1) == 1;
            boolean newPalette = get(1) == 1;
            if (first && !newPalette) {
                throw new IllegalStateException("the first slice must define a palette");
            }
            if (!newPalette && zeroRuns != previousZeroRuns) {
                throw new IllegalStateException("zero runs switched without a new palette");
            }
            first = false;
            previousZeroRuns = zeroRuns;
            if (newPalette) {
                directOffset = get(5);
                int size = get(5);
                size = size > 0 ? size + 1 : 0;
                paletteBits = get(3) + 2;
                palette = new int[size];
                for (int i = 0; i < size; i++) {
                    palette[i] = get(paletteBits);
                }
            }
            boolean uncompressed = wdiv == 7;
            if (uncompressed) {
                if (palette.length > 0) {
                    wdiv = 0;
                    while ((1 << wdiv) < palette.length) {
                        wdiv++;
                    }
                } else {
                    wdiv = paletteBits;
                }
            } else if (wdiv > 5) {
                throw new IllegalStateException("weight divisor " + wdiv);
            }
            int runCount = count + (newPalette ? 1 : 0);
            int[] values = new int[count];
            int[] runs = new int[runCount];
            int runUnaryBits = zdiv < 3 ? 12 : 8;
            int weightSymbols = uncompressed && wdiv > 5 ? 8 : 12;
            int weightPos = 0;
            int runPos = 0;
            int weightCarry = 0;
            int runCarry = 0;
            int[] weightQ = new int[0];
            int[] runQ = new int[0];
            int weightRemFrom = 0;
            int runRemFrom = 0;
            boolean previousWeights = false;
            boolean previousRuns = false;
            int[] previousWeightQ = new int[0];
            int[] previousRunQ = new int[0];
            do {
                int balance = zeroRuns ? weightPos - runPos : 0;
                boolean weightsOn = balance < 8 && weightPos < count;
                boolean runsOn = balance >= 0 && zeroRuns && runPos < runCount;
                int unary0 = 0;
                if (weightsOn && !uncompressed) {
                    unary0 = get(12);
                }
                if (runsOn) {
                    int unary = get(runUnaryBits);
                    int[] qs = new int[runUnaryBits];
                    int symbols = 0;
                    for (int j = 0; j < runUnaryBits; j++) {
                        if ((unary >> j & 1) == 1) {
                            runCarry++;
                        } else {
                            qs[symbols++] = runCarry;
                            runCarry = 0;
                        }
                    }
                    int real = Math.min(symbols, runCount - runPos);
                    runQ = Arrays.copyOf(qs, real);
                    runPos += real;
                }
                if (weightsOn) {
                    int[] qs = new int[weightSymbols];
                    int symbols = 0;
                    if (uncompressed) {
                        symbols = weightSymbols;
                    } else {
                        int unary1 = get(Integer.bitCount(unary0 & 0xfff));
                        for (int j = 0; j < weightSymbols; j++) {
                            int code = 0;
                            if ((unary0 >> j & 1) == 1) {
                                code = 1 + (unary1 & 1);
                                unary1 >>= 1;
                            }
                            weightCarry += code;
                            if (code < 2 || truncated) {
                                qs[symbols++] = weightCarry;
                                weightCarry = 0;
                            }
                        }
                    }
                    int real = Math.min(symbols, count - weightPos);
                    weightQ = Arrays.copyOf(qs, real);
                    weightPos += real;
                }
                if (previousWeights) {
                    for (int q : previousWeightQ) {
                        values[weightRemFrom++] = (q << wdiv) | get(wdiv);
                    }
                }
                if (previousRuns) {
                    for (int q : previousRunQ) {
                        runs[runRemFrom++] = (q << zdiv) | get(zdiv);
                    }
                }
                previousWeights = weightsOn;
                previousRuns = runsOn;
                previousWeightQ = weightsOn ? weightQ : new int[0];
                previousRunQ = runsOn ? runQ : new int[0];
            } while (previousWeights || previousRuns);
            if (weightRemFrom != count || (zeroRuns && runRemFrom != runCount)) {
                throw new IllegalStateException("slice decoded " + weightRemFrom + " of " + count + " weights");
            }
            int total = count;
            if (zeroRuns) {
                for (int r : runs) {
                    total += r;
                }
            }
            if (n + total > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, n + total));
            }
            if (zeroRuns && newPalette) {
                n += runs[0];
            }
            for (int i = 0; i < count; i++) {
                int index = values[i];
                int signMagnitude = index < palette.length ? palette[index] : index - palette.length + directOffset;
                int magnitude = signMagnitude >> 1;
                out[n++] = (short) ((signMagnitude & 1) != 0 ? -magnitude : magnitude);
                if (zeroRuns) {
                    n += runs[i + (newPalette ? 1 : 0)];
                }
            }
        }
        // The end marker is followed by one bits to the byte, then 0xff bytes to 16 bytes.
        while ((bit & 7) != 0) {
            if (get(1) != 1) {
                throw new IllegalStateException("byte alignment after the end marker is not ones");
            }
        }
        int end = (int) (bit >>> 3);
        while ((end - start) % 16 != 0) {
            if (end >= data.length || data[end] != (byte) 0xff) {
                throw new IllegalStateException("padding byte at " + end + " is not 0xff");
            }
            end++;
        }
        return new Decoded(Arrays.copyOf(out, n), end - start);
    }
}
