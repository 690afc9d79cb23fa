package npuc.serialise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.graph.Graph;
import npuc.schedule.ScheduledOp;
import npuc.tflite.ModelBuilder;
import npuc.weights.EncodedWeights;

/** The NPU-constant layout of models the project builds. */
class NpuConstantLayoutTest {
    private static CompileResult compile(Graph model) throws Exception {
        return Compiler.compile("m", model, Targets.resolve(TargetOptions.of("ethos-u55-128",
                "Ethos_U55_High_End_Embedded", "Shared_Sram")), CompileOptions.defaults());
    }

    @Test
    void biasRegionsComeFirstThenEncodedWeightsEachRoundedTo16() throws Exception {
        CompileResult r = compile(ModelBuilder.int8("m").input(1, 8, 8, 8).conv2d(13, 3, 3).conv2d(7, 1, 1)
                .build());
        NpuConstantLayout layout = NpuConstantLayout.of(r.frontEnd(), r.schedule());
        List<NpuConstant> c = layout.constants();
        assertEquals(List.of(NpuConstant.Kind.CONSTANT_INPUT, NpuConstant.Kind.CONSTANT_INPUT,
                NpuConstant.Kind.ENCODED_WEIGHTS, NpuConstant.Kind.ENCODED_WEIGHTS),
                c.stream().map(NpuConstant::kind).toList());
        // An encoded bias reserves 10 bytes per channel, rounded up to 16, and holds nothing itself.
        assertEquals(144, c.get(0).reserved());
        assertEquals(80, c.get(1).reserved());
        assertEquals(0, c.get(0).contents().length);
        List<ScheduledOp> ops = r.schedule().subgraphs().get(0).ops();
        long offset = 0;
        for (NpuConstant k : c) {
            assertEquals(offset, k.offset());
            assertEquals(0, k.reserved() % 16);
            offset += k.reserved();
        }
        assertEquals(offset, layout.size());
        byte[] image = layout.image();
        assertEquals(layout.size(), image.length);
        for (int i = 0; i < 2; i++) {
            EncodedWeights w = ops.get(i).schedule().weights();
            NpuConstant region = c.get(2 + i);
            assertEquals((w.size() + 15) / 16 * 16, region.reserved());
            assertArrayEquals(w.bytes().toArray(), Arrays.copyOfRange(image, (int) region.offset(),
                    (int) (region.offset() + w.size())));
        }
        assertEquals(c.get(3), layout.constantAt(layout.size() - 1));
        assertEquals(c.get(2).offset(), layout.offsetOf(ops.get(0).schedule().weights()));
        assertEquals(c.get(3).offset(), layout.offsetOf(ops.get(1).schedule().weights()));
        assertEquals(c.get(1).offset(), layout.offsetOf(ops.get(1).op().primary().bias()));
        assertNull(layout.constantAt(layout.size()));
    }

    @Test
    void constantElementwiseOperandIsCopiedIntoItsRegion() throws Exception {
        ModelBuilder b = ModelBuilder.int8("m").input(1, 4, 4, 16);
        float[] values = new float[256];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 50) * 0.1f;
        }
        CompileResult r = compile(b.add(b.constant("k", 0.1f, 0, values, 1, 4, 4, 16)).build());
        NpuConstantLayout layout = NpuConstantLayout.of(r.frontEnd(), r.schedule());
        assertEquals(1, layout.constants().size(), layout.constants().toString());
        NpuConstant operand = layout.constants().get(0);
        assertEquals(NpuConstant.Kind.CONSTANT_INPUT, operand.kind());
        assertEquals(256, operand.reserved());
        assertEquals(256, operand.contents().length);
        assertArrayEquals(operand.contents(), layout.image());
        assertEquals(0, layout.offsetOf(r.schedule().subgraphs().get(0).ops().get(0).op().primary().ifm2()));
    }

    @Test
    void lookupTableFusedIntoAConvolutionFollowsItsBias() throws Exception {
        CompileResult r = compile(ModelBuilder.int8("m").input(1, 8, 8, 8).conv2d(8, 1, 1).logistic().build());
        NpuConstantLayout layout = NpuConstantLayout.of(r.frontEnd(), r.schedule());
        List<NpuConstant> c = layout.constants();
        assertEquals(List.of(NpuConstant.Kind.CONSTANT_INPUT, NpuConstant.Kind.LUT, NpuConstant.Kind.ENCODED_WEIGHTS),
                c.stream().map(NpuConstant::kind).toList(), c.toString());
        npuc.frontend.ConstArray table = r.schedule().subgraphs().get(0).ops().get(0).op().primary().activation().lut();
        NpuConstant lut = c.get(1);
        assertArrayEquals(table.bytes(), lut.contents());
        assertEquals(lut.offset(), layout.offsetOf(table));
        assertArrayEquals(table.bytes(), Arrays.copyOfRange(layout.image(), (int) lut.offset(),
                (int) lut.offset() + table.bytes().length));
    }
}
