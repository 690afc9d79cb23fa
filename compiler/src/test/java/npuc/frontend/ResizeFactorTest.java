package npuc.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The input resize that brings wide convolution strides down to ones the NPU runs. */
class ResizeFactorTest {

    @Test
    void widthDivisibleByTheStrideResizesByTheWholeStride() {
        assertEquals(new ResizeFactor(4, 1), ResizeFactor.of(8, 4));
    }

    @Test
    void otherwiseAHardwareStrideRemains() {
        // Width 133, stride 14: resize by 7, stride 2 remains.
        assertEquals(new ResizeFactor(7, 2), ResizeFactor.of(133, 14));
        // Width 10, stride 6: 6/2 = 3 does not divide 10, 6/3 = 2 does; stride 3 remains.
        assertEquals(new ResizeFactor(2, 3), ResizeFactor.of(10, 6));
    }

    @Test
    void strideWithoutHardwareFactorsStays() {
        assertEquals(new ResizeFactor(1, 5), ResizeFactor.of(12, 5));
    }
}
