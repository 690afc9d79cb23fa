package npuc.frontend;

import static npuc.frontend.LoweringAssertions.npuOp;
import static npuc.frontend.LoweringAssertions.npuTypes;
import static npuc.frontend.LoweringAssertions.run;
import static npuc.frontend.LoweringAssertions.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import npuc.graph.Activation;
import npuc.tflite.ModelBuilder;

/** Splits, slices, unpack, pack and transpose: reads at offsets, writes at offsets, swapped strides. */
class SliceLoweringTest {

    private static ModelBuilder outputAll(ModelBuilder b) {
        return b.output(b.nodes().toArray(new ModelBuilder.Node[0]));
    }

    @Test
    void splitOutputsThatAreGraphOutputsAreAveragePoolCopies() {
        FrontEndResult r = run(outputAll(ModelBuilder.int8("s").input(1, 4, 4, 8).split(3, 2)));
        assertEquals(List.of(OpType.AvgPool, OpType.AvgPool), npuTypes(r));
        Set<Shape4> offsets = r.npuOperators().stream().map(FrontEndResult.OperationInfo::ifmReadOffset)
                .collect(Collectors.toSet());
        assertEquals(Set.of(new Shape4(0, 0, 0, 0), new Shape4(0, 0, 0, 4)), offsets);
        assertEquals(new Shape4(1, 4, 4, 4), r.npuOperators().get(1).ifmReadShape());
        assertEquals(2 * 4 * 4 * 4, r.nnMacs());
    }

    @Test
    void splitVReadIsFoldedIntoTheConvolutionReadingIt() {
        ModelBuilder b = ModelBuilder.int8("s").input(1, 4, 4, 8).splitV(3, 3, 5);
        ModelBuilder.Node second = b.nodes().get(1);
        FrontEndResult r = run(b.from(second).conv2d(2, 1, 1).output());
        assertEquals(List.of(OpType.Conv2DBias), npuTypes(r));
        FrontEndResult.OperationInfo conv = r.npuOperators().get(0);
        assertEquals(new Shape4(0, 0, 0, 3), conv.ifmReadOffset());
        assertEquals(new Shape4(1, 4, 4, 5), conv.ifmReadShape());
        assertEquals(5L * 4 * 4 * 2, r.nnMacs());
    }

    @Test
    void stridedSliceWithShrunkAxisReadsItsRowInPlace() {
        FrontEndResult r = run(ModelBuilder.int8("s").input(1, 4, 4, 8).conv2d(8, 1, 1)
                .stridedSlice(new int[]{0, 1, 0, 0}, new int[]{1, 2, 4, 8}, 0b10).fullyConnected(3).output());
        assertEquals(sorted(OpType.Conv2DBias, OpType.FullyConnected), npuTypes(r));
        FrontEndResult.OperationInfo fc = npuOp(r, OpType.FullyConnected);
        assertEquals(new Shape4(0, 1, 0, 0), fc.ifmReadOffset());
        assertEquals(new Shape4(1, 1, 4, 8), fc.ifmReadShape());
        assertEquals(4 * 4 * 8 * 8 + 8 * 4 * 3, r.nnMacs());
    }

    @Test
    void sliceOfAGraphInputIsAnAveragePoolReadingAtItsBegin() {
        FrontEndResult r = run(ModelBuilder.int8("s").input(1, 4, 6, 8)
                .slice(new int[]{0, 1, 1, 0}, new int[]{1, 2, 3, 8}).output());
        FrontEndResult.OperationInfo pool = npuOp(r, OpType.AvgPool);
        assertEquals(new Shape4(0, 1, 1, 0), pool.ifmReadOffset());
        assertEquals(new Shape4(1, 2, 3, 8), pool.ofmShapes().get(0));
    }

    @Test
    void unpackReadsEachElementOfTheAxisWithTheAxisKept() {
        FrontEndResult r = run(outputAll(ModelBuilder.int8("u").input(1, 3, 8).unpack(1)));
        assertEquals(3, r.npuOperators().size());
        Set<Shape4> offsets = r.npuOperators().stream().map(FrontEndResult.OperationInfo::ifmReadOffset)
                .collect(Collectors.toSet());
        assertEquals(Set.of(new Shape4(0, 0, 0, 0), new Shape4(0, 0, 1, 0), new Shape4(0, 0, 2, 0)), offsets);
        assertEquals(new Shape4(1, 1, 1, 8), r.npuOperators().get(2).ofmShapes().get(0));
    }

    @Test
    void packWritesEachInputAtItsIndexOfTheNewAxis() {
        ModelBuilder pk = ModelBuilder.int8("pk").input(1, 8);
        ModelBuilder.Node a = pk.node();
        pk.input(1, 8);
        FrontEndResult r = run(pk.pack(1, a, pk.node()).output());
        assertEquals(sorted(OpType.AvgPool, OpType.AvgPool, OpType.Add), npuTypes(r));
        assertEquals(new Shape4(0, 0, 1, 0), npuOp(r, "pack1_avgpool").writeOffset());
        assertEquals(new Shape4(1, 1, 1, 8), npuOp(r, "pack1_avgpool").writeShape());
    }

    @Test
    void concatenationWithAFusedReluGetsTheReluAsAnOperationOfItsOwn() {
        ModelBuilder c = ModelBuilder.int8("c").input(1, 4, 4, 3);
        ModelBuilder.Node x = c.node();
        c.input(1, 4, 4, 5);
        FrontEndResult r = run(c.concatenation(3, x, c.node()).activation(Activation.RELU).output());
        FrontEndResult.OperationInfo relu = npuOp(r, OpType.Relu);
        assertEquals("concatenationRelu", relu.name());
        assertNull(npuOp(r, "concatenation1_avgpool").activation());
        // the relu reads the joined tensor, so pass packing gives it an AvgPool to run in
        assertEquals("concatenationRelu_avgpool", r.npuOperators().stream()
                .filter(o -> o.type() == OpType.AvgPool && o.writeOffset() == null).findFirst().orElseThrow().name());
    }

    @Test
    void brickFormatOnlyWhereOnlyNpuOperationsAtAlignedOffsetsTouchTheTensor() {
        ModelBuilder b = ModelBuilder.int8("f").input(1, 4, 4, 8).conv2d(32, 1, 1).name("a").splitV(3, 16, 16);
        ModelBuilder.Node low = b.nodes().get(0);
        ModelBuilder.Node high = b.nodes().get(1);
        b.from(low).conv2d(8, 1, 1).name("b").conv2d(8, 1, 1).name("c");
        ModelBuilder.Node c = b.node();
        b.from(high).conv2d(8, 1, 1).name("d");
        FrontEndResult r = run(b.output(c, b.node()));
        // "a" is read at channel offsets 0 and 16 only: bricks allowed; "b" goes between two convolutions
        assertEquals(false, npuOp(r, "a").ofm().linearFormat());
        assertEquals(false, npuOp(r, "b").ofm().linearFormat());
        // graph inputs and outputs stay linear
        assertEquals(true, npuOp(r, "a").ifm().linearFormat());
        assertEquals(true, npuOp(r, "c").ofm().linearFormat());
        ModelBuilder o = ModelBuilder.int8("f").input(1, 4, 4, 8).conv2d(32, 1, 1).name("a").splitV(3, 8, 24);
        // the second part starts at channel 8, inside a brick
        FrontEndResult odd = run(o.from(o.nodes().get(1)).conv2d(4, 1, 1).output());
        assertEquals(true, npuOp(odd, "a").ofm().linearFormat());
    }

    @Test
    void transposeOfHeightAndWidthIsAnAveragePoolWithALinearOfm() {
        FrontEndResult r = run(ModelBuilder.int8("t").input(4, 6, 8).transpose(1, 0, 2).output());
        FrontEndResult.OperationInfo pool = npuOp(r, OpType.AvgPool);
        assertEquals("transpose_avgpool", pool.name());
        assertEquals(new Shape4(1, 4, 6, 8), pool.ifmShapes().get(0));
        assertEquals(new Shape4(1, 4, 6, 8), pool.ofmShapes().get(0));
        assertEquals(4 * 6 * 8, r.nnMacs());
        assertTrue(pool.ofm().linearFormat());
    }
}
