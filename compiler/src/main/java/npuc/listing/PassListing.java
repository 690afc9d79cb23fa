package npuc.listing;

import java.util.List;

import npuc.frontend.FrontEndResult.PassInfo;
import npuc.frontend.PassPlacement;

/** Vela's {@code --verbose-packing}: the passes the operations were packed into, numbered in steps of two. */
final class PassListing {
    private PassListing() {
    }

    static String of(String subgraphName, List<PassInfo> passes) {
        StringBuilder s = new StringBuilder("print_passes() ").append(subgraphName).append('\n');
        for (int i = 0; i < passes.size(); i++) {
            PassInfo p = passes.get(i);
            List<String> ops = p.ops().stream().map(o -> o.typeName()).toList();
            s.append(String.format("%03d <nng.Pass '%s', PassPlacement.%s, ops=[%s]>%n", i * 2, p.name(),
                    placement(p.placement()), String.join(", ", ops)));
        }
        return s.toString();
    }

    static String placement(PassPlacement p) {
        return switch (p) {
            case NPU -> "Npu";
            case CPU -> "Cpu";
            case MEMORY_ONLY -> "MemoryOnly";
            case STARTUP_INIT -> "StartupInit";
        };
    }
}
