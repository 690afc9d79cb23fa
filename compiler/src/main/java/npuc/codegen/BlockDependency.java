package npuc.codegen;

import java.util.List;

import npuc.arch.Accelerator;
import npuc.arch.Block;
import npuc.codegen.NpuOperation.AddressRange;
import npuc.codegen.NpuOperation.FeatureMap;

/**
 * How many jobs (OFM blocks) of an operation may start before the previous operation has finished: the number
 * of the previous operation's last blocks that the first input blocks of this one do not read.
 */
final class BlockDependency {
    /** The largest block the IFM block size is computed for (sub-kernel limit of the job decomposition). */
    private static final Block OFM_BLOCK_MAX = Accelerator.OFM_BLOCK_MAX;

    private BlockDependency() {
    }

    private record Point(int x, int y, int z) {
    }

    private record Area(Point start, Point end) {
    }

    static int of(Accelerator arch, NpuOperation.Block prev, NpuOperation.Block cur) {
        int max = RegisterCommandStream.MAX_BLOCKDEP;
        if (prev == null) {
            return 0;
        }
        if (prev.usesLut() && arch.shramReservedUnusedBanks() == 0 && !cur.usesLut()) {
            return 0;
        }
        List<AddressRange> prevOfm = FeatureMapRanges.of(prev.ofm());
        boolean ifmOverlaps = FeatureMapRanges.overlap(prevOfm, FeatureMapRanges.of(cur.ifm()));
        boolean ifm2Overlaps = cur.hasIfm2() && FeatureMapRanges.overlap(prevOfm, FeatureMapRanges.of(cur.ifm2()));
        if (ifmOverlaps && ifm2Overlaps) {
            return 0;
        }
        if (!ifmOverlaps && !ifm2Overlaps) {
            return max;
        }
        if (ifm2Overlaps && volume(cur.ifm2()) < volume(cur.ifm())) {
            return 0;
        }
        FeatureMap overlapping = ifmOverlaps ? cur.ifm() : cur.ifm2();
        Block curBlock = new Block(cur.blockWidth(), cur.blockHeight(), cur.blockDepth());
        Block prevBlock = new Block(prev.blockWidth(), prev.blockHeight(), prev.blockDepth());
        int[] padding = cur.padding() == null ? new int[4] : cur.padding();
        NpuOperation.Kernel k = cur.kernel() == null ? new NpuOperation.Kernel(1, 1, 1, 1, 1, 1) : cur.kernel();
        int blockdep = max;
        int elapsed = 0;
        for (int forward = 0; forward < max; forward++) {
            Area in = firstJobInput(arch, cur, curBlock, k, padding, forward);
            if (in == null) {
                break;
            }
            int outstanding = 0;
            for (int back = 0; back < max; back++) {
                Area out = prevJobOutput(prev.ofm(), prevBlock, back);
                if (out == null) {
                    break;
                }
                if (intersects(overlapping, in, prev.ofm(), out)) {
                    break;
                } else if (outstanding > max) {
                    break;
                }
                outstanding++;
            }
            blockdep = Math.min(blockdep, elapsed + outstanding);
            elapsed++;
            if (elapsed > max) {
                break;
            }
        }
        return blockdep;
    }

    private static long volume(FeatureMap fm) {
        return (long) fm.height() * fm.width() * fm.depth();
    }

    private static Point blockCoords(int w, int h, int d, Block block, int offset) {
        int wb = ceilDiv(w, block.width());
        int hb = ceilDiv(h, block.height());
        int db = ceilDiv(d, block.depth());
        int total = wb * hb * db;
        int index = offset < 0 ? total + offset : offset;
        if (index >= total) {
            return null;
        }
        int z = block.depth() * Math.floorMod(index, db);
        int y = block.height() * Math.floorDiv(index, db * wb);
        int x = block.width() * Math.floorMod(Math.floorDiv(index, db), wb);
        return new Point(x, y, z);
    }

    private static Area firstJobInput(Accelerator arch, NpuOperation.Block cur, Block ofmBlock,
                                      NpuOperation.Kernel k, int[] padding, int offset) {
        int ifmBlockDepth = cur.ifmBlockDepth();
        int dilatedH = (k.height() - 1) * k.dilationY() + 1;
        int dilatedW = (k.width() - 1) * k.dilationX() + 1;
        int ifmBlockH = roundUp((ofmBlock.height() - 1) * k.strideY() + Math.min(OFM_BLOCK_MAX.height(), dilatedH),
                arch.ifmMicroBlock().height());
        int ifmBlockW = roundUp((ofmBlock.width() - 1) * k.strideX() + Math.min(OFM_BLOCK_MAX.width(), dilatedW),
                arch.ifmMicroBlock().width());
        int depthBlocks = ceilDiv(cur.ifm().depth(), ifmBlockDepth);
        FeatureMap ofm = cur.ofm();
        Point o = blockCoords(ofm.width(), ofm.height(), ofm.depth(), ofmBlock, offset / depthBlocks);
        if (o == null) {
            return null;
        }
        int x = Math.max(0, o.x() * k.strideX() - padding[1]);
        // The reference offsets rows by the right padding here.
        int y = Math.max(0, o.y() * k.strideY() - padding[3]);
        int z = (offset % depthBlocks) * ifmBlockDepth;
        return new Area(new Point(x, y, z), new Point(x + ifmBlockW, y + ifmBlockH, z + ifmBlockDepth));
    }

    private static Area prevJobOutput(FeatureMap ofm, Block block, int offset) {
        Point s = blockCoords(ofm.width(), ofm.height(), ofm.depth(), block, -1 - offset);
        if (s == null) {
            return null;
        }
        return new Area(s, new Point(s.x() + block.width(), s.y() + block.height(), s.z() + block.depth()));
    }

    private static boolean intersects(FeatureMap ifm, Area in, FeatureMap prevOfm, Area out) {
        boolean sameShape = ifm.height() == prevOfm.height() && ifm.width() == prevOfm.width()
                && ifm.depth() == prevOfm.depth();
        boolean sameTiles = ifm.tileHeight0() == prevOfm.tileHeight0() && ifm.tileHeight1() == prevOfm.tileHeight1()
                && ifm.tileWidth0() == prevOfm.tileWidth0() && ifm.tileAddresses().equals(prevOfm.tileAddresses());
        if (sameShape && sameTiles) {
            return Math.min(in.end().x(), out.end().x()) - Math.max(in.start().x(), out.start().x()) > 0
                    && Math.min(in.end().y(), out.end().y()) - Math.max(in.start().y(), out.start().y()) > 0
                    && Math.min(in.end().z(), out.end().z()) - Math.max(in.start().z(), out.start().z()) > 0;
        }
        List<AddressRange> a = FeatureMapRanges.ofArea(ifm, in.start().y(), in.start().x(), in.start().z(),
                in.end().y(), in.end().x(), in.end().z());
        List<AddressRange> b = FeatureMapRanges.ofArea(prevOfm, out.start().y(), out.start().x(), out.start().z(),
                out.end().y(), out.end().x(), out.end().z());
        return FeatureMapRanges.overlap(a, b);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int roundUp(int v, int q) {
        return (v + q - 1) / q * q;
    }
}
