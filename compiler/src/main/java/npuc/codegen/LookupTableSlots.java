package npuc.codegen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import npuc.arch.Accelerator;
import npuc.frontend.ConstArray;

/**
 * Places activation lookup tables in the SHRAM's table area: a table already there (same values) is reused and
 * its copy dropped; a new one goes where it overwrites the fewest tables present. On accelerators without
 * spare banks, an operation without a table may overwrite the area, which then holds nothing.
 */
final class LookupTableSlots {
    /** Bytes of the SHRAM table area. */
    static final int AREA_BYTES = Accelerator.SHRAM_LUT_SIZE_BYTES;
    /** The table index the ACTIVATION register takes counts 256-byte slots. */
    static final int SLOT_BYTES = 256;

    private record Present(long[] values, int address, int size) {
    }

    private LookupTableSlots() {
    }

    static List<HighLevelCommand> place(List<HighLevelCommand> commands, Accelerator arch) {
        int start = arch.shramLutAddress();
        int end = start + AREA_BYTES;
        List<Present> present = new ArrayList<>();
        List<HighLevelCommand> out = new ArrayList<>();
        for (HighLevelCommand c : commands) {
            if (c instanceof HighLevelCommand.NpuStripe && !HighLevelCommandStream.usesLut(c.op().op().primary())
                    && arch.shramReservedUnusedBanks() == 0) {
                present = new ArrayList<>();
            }
            if (!(c instanceof HighLevelCommand.LutDma)) {
                out.add(c);
                continue;
            }
            ConstArray table = c.op().op().primary().activation().lut();
            long[] values = table.toLongArray();
            int size = (int) table.byteSize();
            Present existing = null;
            for (Present p : present) {
                if (Arrays.equals(p.values(), values)) {
                    existing = p;
                    break;
                }
            }
            if (existing != null) {
                // Already in SHRAM: the operation uses it where it is; the copy is dropped.
                out.add(new HighLevelCommand.LutDma(c.op(), existing.address(), false));
                continue;
            }
            int address = bestAddress(present, start, end, size);
            List<Present> next = new ArrayList<>();
            next.add(new Present(values, address, size));
            for (Present p : present) {
                if (!overlaps(address, address + size, p.address(), p.address() + p.size())) {
                    next.add(p);
                }
            }
            present = next;
            out.add(new HighLevelCommand.LutDma(c.op(), address, true));
        }
        return out;
    }

    private static int bestAddress(List<Present> present, int start, int end, int step) {
        int best = start;
        int bestOverlaps = end;
        for (int a = start; a < end; a += step) {
            int n = 0;
            for (Present p : present) {
                if (overlaps(a, a + step, p.address(), p.address() + p.size())) {
                    n++;
                }
            }
            if (n < bestOverlaps) {
                bestOverlaps = n;
                best = a;
            }
        }
        return best;
    }

    private static boolean overlaps(int s1, int e1, int s2, int e2) {
        return s1 < e2 && s2 < e1;
    }
}
