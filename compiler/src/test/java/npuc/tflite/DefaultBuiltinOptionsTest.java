package npuc.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;

class DefaultBuiltinOptionsTest {
    @Test
    void operatorsWithAnEmptyTableGetItOthersNone() {
        assertEquals(new BuiltinOptions.Quantize(), DefaultBuiltinOptions.of(BuiltinOperator.QUANTIZE));
        // A table with fields: empty and all-defaults differ (dilation defaults to 1), so none is made.
        assertNull(DefaultBuiltinOptions.of(BuiltinOperator.CONV_2D));
        // No options table in the schema at all.
        assertNull(DefaultBuiltinOptions.of(BuiltinOperator.LOGISTIC));
        assertNull(DefaultBuiltinOptions.of(null));
    }
}
