package npuc.codegen;

import java.util.ArrayList;
import java.util.List;

import npuc.codegen.NpuOperation.AddressRange;
import npuc.codegen.NpuOperation.FeatureMap;

/** The bytes a feature map area covers, per tile and per row, for dependency checks. */
final class FeatureMapRanges {
    private FeatureMapRanges() {
    }

    static long address(FeatureMap fm, int y, int x, int c) {
        int elem = fm.type().bytes();
        long strideC = fm.brick() ? fm.strideC() : 16L * elem;
        long strideX = fm.brick() ? 16L * elem : fm.strideX();
        int t = 0;
        if (x >= fm.tileWidth0()) {
            x -= fm.tileWidth0();
            t = 1;
            if (y >= fm.tileHeight1()) {
                y -= fm.tileHeight1();
                t += 2;
            }
        } else if (y >= fm.tileHeight0()) {
            y -= fm.tileHeight0();
            t += 2;
        }
        return fm.tileAddresses().get(t) + y * fm.strideY() + x * strideX + (c / 16) * strideC
                + (long) (c % 16) * elem;
    }

    static AddressRange range(FeatureMap fm, int y0, int x0, int c0, int y1, int x1, int c1) {
        long a0 = address(fm, y0, x0, c0);
        long a1 = address(fm, y1, x1, c1);
        return new AddressRange(fm.region(), a0, a1 - a0 + fm.type().bytes());
    }

    /** One range per tile in use. */
    static List<AddressRange> of(FeatureMap fm) {
        int h = fm.height();
        int w = fm.width();
        int d = fm.depth();
        List<AddressRange> out = new ArrayList<>();
        out.add(range(fm, 0, 0, 0, Math.min(h, fm.tileHeight0()) - 1, Math.min(w, fm.tileWidth0()) - 1, d - 1));
        boolean t1 = w > fm.tileWidth0();
        boolean t2 = h > fm.tileHeight0();
        if (t1) {
            out.add(range(fm, 0, fm.tileWidth0(), 0, Math.min(h, fm.tileHeight1()) - 1, w - 1, d - 1));
        }
        if (t2) {
            out.add(range(fm, fm.tileHeight0(), 0, 0, h - 1, Math.min(w, fm.tileWidth0()) - 1, d - 1));
        }
        if (t1 && t2) {
            out.add(range(fm, fm.tileHeight1(), fm.tileWidth0(), 0, h - 1, w - 1, d - 1));
        }
        return out;
    }

    /** Ranges of the area from (y0, x0, c0) to (y1, x1, c1) inclusive, row by row within each tile. */
    static List<AddressRange> ofArea(FeatureMap fm, int y0, int x0, int c0, int y1e, int x1e, int c1e) {
        int y1 = Math.min(y1e, fm.height() - 1);
        int x1 = Math.min(x1e, fm.width() - 1);
        int c1 = Math.min(c1e, fm.depth() - 1);
        int h0 = fm.tileHeight0();
        int h1 = fm.tileHeight1();
        int w0 = fm.tileWidth0();
        List<AddressRange> out = new ArrayList<>();
        if (x0 < w0 && y0 < h0) {
            rows(out, fm, y0, x0, c0, Math.min(y1, h0 - 1), Math.min(x1, w0 - 1), c1);
        }
        if (x1 >= w0 && y0 < h1) {
            rows(out, fm, y0, Math.max(x0, w0), c0, Math.min(y1, h1 - 1), x1, c1);
        }
        if (x0 < w0 && y1 >= h0) {
            rows(out, fm, Math.max(y0, h0), x0, c0, y1, Math.min(x1, w0 - 1), c1);
        }
        if (x1 >= w0 && y1 >= h1) {
            rows(out, fm, Math.max(y0, h1), Math.max(x0, w0), c0, y1, x1, c1);
        }
        return out;
    }

    private static void rows(List<AddressRange> out, FeatureMap fm, int y0, int x0, int c0, int y1, int x1, int c1) {
        for (int y = y0; y <= y1; y++) {
            out.add(range(fm, y, x0, c0, y, x1, c1));
        }
    }

    static boolean overlap(List<AddressRange> a, List<AddressRange> b) {
        for (AddressRange x : a) {
            for (AddressRange y : b) {
                if (x.overlaps(y)) {
                    return true;
                }
            }
        }
        return false;
    }
}
