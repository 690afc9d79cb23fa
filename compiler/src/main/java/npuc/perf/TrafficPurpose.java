package npuc.perf;

import npuc.frontend.TensorPurpose;

/** What moved bytes are for, as the reports break traffic down. */
public enum TrafficPurpose {
    FEATURE_MAP, WEIGHTS, SCALES, LUT, OTHER;

    public static TrafficPurpose of(TensorPurpose p) {
        return switch (p) {
            case FEATURE_MAP -> FEATURE_MAP;
            case WEIGHTS -> WEIGHTS;
            case LUT -> LUT;
            default -> OTHER;
        };
    }
}
