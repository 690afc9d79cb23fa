package npuc.codegen;

import java.util.ArrayList;
import java.util.List;

import npuc.arch.Accelerator;
import npuc.codegen.NpuOperation.AddressRange;
import npuc.codegen.NpuOperation.Block;
import npuc.codegen.NpuOperation.Dma;

/** What an operation reads and writes; two operations conflict unless both only read the bytes they share. */
record MemoryAccesses(List<AddressRange> reads, List<AddressRange> writes) {
    static MemoryAccesses of(NpuOperation op, Accelerator arch) {
        List<AddressRange> reads = new ArrayList<>();
        List<AddressRange> writes = new ArrayList<>();
        if (op instanceof Dma d) {
            reads.add(d.source());
            writes.add(d.destination());
        } else {
            Block b = (Block) op;
            reads.addAll(FeatureMapRanges.of(b.ifm()));
            if (b.hasIfm2()) {
                reads.addAll(FeatureMapRanges.of(b.ifm2()));
            }
            reads.addAll(b.weights());
            reads.addAll(b.scales());
            long bank = Accelerator.SHRAM_BANK_SIZE_BYTES;
            if (b.usesLut()) {
                reads.add(new AddressRange(Address.SHRAM, arch.availableShramBanks(true) * bank, 2048));
            }
            writes.addAll(FeatureMapRanges.of(b.ofm()));
            // The block may overwrite the whole SHRAM it is allowed to use, lookup tables included.
            writes.add(new AddressRange(Address.SHRAM, 0, arch.availableShramBanks(b.usesLut()) * bank));
        }
        return new MemoryAccesses(List.copyOf(reads), List.copyOf(writes));
    }

    boolean conflicts(MemoryAccesses other) {
        return FeatureMapRanges.overlap(writes, other.reads) || FeatureMapRanges.overlap(reads, other.writes)
                || FeatureMapRanges.overlap(writes, other.writes);
    }
}
