package npuc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import npuc.alloc.TensorAllocator;
import npuc.graph.Graph;
import npuc.schedule.OptimizationStrategy;
import npuc.tflite.ModelBuilder;

/** Internal errors leave a compile stage with a signature that names the stage, operator, exception and site. */
class FailureSignatureTest {

    private static Graph decoder(String name, String resizeName) {
        return ModelBuilder.int8(name).input(1, 8, 8, 4).conv2d(4, 3, 3).name(name + "_conv")
                .resizeBilinear(16, 16).name(resizeName).output().build();
    }

    private static InternalCompilerError failIn(String stage, Graph model, RuntimeException error) {
        return assertThrows(InternalCompilerError.class, () -> Compiler.stage(stage, model, () -> {
            throw error;
        }));
    }

    @Test
    void anUnexpectedExceptionLeavesItsStageWithTheOperatorItsMessageNames() {
        Graph model = decoder("seg", "ResizeBilinear_1");
        IllegalArgumentException bug = new IllegalArgumentException("no arena address for tensor 'ResizeBilinear_1'");

        InternalCompilerError e = failIn("codegen", model, bug);

        assertEquals(new FailureSignature("codegen", "RESIZE_BILINEAR", "IllegalArgumentException",
                "FailureSignatureTest"), e.signature());
        assertEquals("codegen/RESIZE_BILINEAR/IllegalArgumentException@FailureSignatureTest", e.signature().toString());
        assertSame(bug, e.getCause());
        assertTrue(e.getMessage().contains("no arena address for tensor 'ResizeBilinear_1'"), e.getMessage());
    }

    @Test
    void theSameBugInAnotherModelHasTheSameSignature() {
        FailureSignature a = failIn("codegen", decoder("a", "up"),
                new IllegalArgumentException("no arena address for tensor 'up'")).signature();
        FailureSignature b = failIn("codegen", decoder("b", "decoder/upsample"),
                new IllegalArgumentException("no arena address for tensor 'decoder/upsample'")).signature();
        assertEquals(a, b);
    }

    @Test
    void aTensorTheRewritesDerivedIsTracedToTheModelTensorItsNameBeginsWith() {
        Graph model = decoder("lstm", "up");
        FailureSignature s = failIn("constants", model, new IllegalArgumentException(
                "tensor 'lstm_conv/BiasAdd_avgpooled' is not an NPU constant of this subgraph")).signature();
        assertEquals("CONV_2D", s.operatorType());
    }

    @Test
    void aMessageNamingNoTensorHasNoOperator() {
        FailureSignature s = failIn("scheduler", decoder("m", "up"), new ArithmeticException("/ by zero")).signature();
        assertEquals(FailureSignature.NO_OPERATOR, s.operatorType());
        assertEquals("ArithmeticException", s.exceptionType());
    }

    @Test
    void theCodeSiteIsTheNpucClassThatThrewEvenWhenTheJdkRaisedIt() {
        InternalCompilerError e = assertThrows(InternalCompilerError.class, () -> Compiler.stage("report", null,
                () -> new CompileOptions(OptimizationStrategy.Performance, TensorAllocator.HillClimb, 99, 16, 4000,
                        99999, false, false, false)));
        assertEquals("report/-/IllegalArgumentException@CompileOptions", e.signature().toString());
    }

    @Test
    void errorsTheInputCausedPassUnchanged() {
        BadInputException bad = new BadInputException("m for ethos-u55-128 does not fit");
        assertSame(bad, assertThrows(BadInputException.class, () -> Compiler.stage("allocation", null, () -> {
            throw bad;
        })));
    }

    @Test
    void anErrorMetOutsideAStageTakesItsStageFromThePackageThatThrewIt() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> ModelBuilder.int8("x").conv2d(1, 1, 1));
        FailureSignature s = FailureSignature.of(e);
        assertEquals("tflite/-/IllegalStateException@ModelBuilder", s.toString());
        InternalCompilerError wrapped = failIn("frontend", null, new IllegalStateException("x"));
        assertSame(wrapped.signature(), FailureSignature.of(wrapped));
    }
}
