package npuc.frontend;

import java.util.Map;

import npuc.graph.BuiltinOperator;

/**
 * Vela's names of the TFLite operators the front end keeps only as CPU operators: the builtin's name in camel
 * case, except for the few Vela names otherwise.
 */
final class VelaOperatorNames {
    private VelaOperatorNames() {
    }

    private static final Map<String, String> EXCEPTIONS = Map.ofEntries(
            Map.entry("L2_NORMALIZATION", "L2Norm"),
            Map.entry("L2_POOL_2D", "L2Pool2D"),
            Map.entry("LOCAL_RESPONSE_NORMALIZATION", "LRN"),
            Map.entry("LSH_PROJECTION", "LSHProjection"),
            Map.entry("GATHER", "GatherV2"),
            Map.entry("BATCH_TO_SPACE_ND", "BatchToSpaceND"),
            Map.entry("SPACE_TO_BATCH_ND", "SpaceToBatchND"),
            Map.entry("TOPK_V2", "TopKV2"),
            Map.entry("PADV2", "PadV2"),
            Map.entry("FAKE_QUANT", "FakeQuantWithMinMaxArgs"),
            Map.entry("REDUCE_PROD", "Prod"),
            Map.entry("REDUCE_MAX", "Max"),
            Map.entry("REDUCE_MIN", "Min"),
            Map.entry("REDUCE_ANY", "Any"),
            Map.entry("BATCH_MATMUL", "BatchMatMul"),
            Map.entry("RFFT2D", "Rfft2D"),
            Map.entry("CONV_3D", "Conv3D"),
            Map.entry("CONV_3D_TRANSPOSE", "Conv3DTranspose"));

    static String of(BuiltinOperator builtin, String customCode) {
        if (builtin == null) {
            return "Unknown";
        }
        if (builtin == BuiltinOperator.CUSTOM) {
            return "Custom";
        }
        String exception = EXCEPTIONS.get(builtin.name());
        if (exception != null) {
            return exception;
        }
        StringBuilder s = new StringBuilder();
        for (String part : builtin.name().split("_")) {
            if (!part.isEmpty()) {
                s.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return s.toString();
    }
}
