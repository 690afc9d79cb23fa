package npuc.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.Padding;
import npuc.graph.Quantization;
import npuc.graph.Tensor;
import npuc.tflite.ModelBuilder.Node;

/** The builder's operators for the front end's rewrites: shapes, types, constants and a flatbuffer round trip. */
class ModelBuilderLoweringOperatorsTest {

    private static Operator last(Graph g) {
        List<Operator> ops = g.subgraphs().get(0).operators();
        return ops.get(ops.size() - 1);
    }

    private static Tensor tensor(Graph g, int index) {
        return g.subgraphs().get(0).tensors().get(index);
    }

    private static Tensor out(Graph g) {
        return tensor(g, last(g).outputs().get(0));
    }

    @Test
    void everyNewOperatorSurvivesAWriteAndARead() throws ModelFormatException {
        ModelBuilder b = ModelBuilder.int8("all").input(1, 8, 8, 4);
        Node x = b.node();
        b.logistic().tanh().hardSwish().relu().relu6().leakyRelu(0.1f).exp().log().abs().rsqrt()
                .prelu(0.1f, 0.2f, 0.3f, 0.4f)
                .resizeBilinear(16, 16).resizeOptions(false, true)
                .resizeNearestNeighbor(8, 8)
                .transposeConv(4, 3, 3).stride(2, 2).padding(Padding.VALID);
        b.from(x).split(3, 2);
        Node part = b.nodes().get(1);
        b.from(x).splitV(3, 1, 3);
        b.from(b.nodes().get(1)).stridedSlice(new int[]{0, 0, 0, 0}, new int[]{1, 1, 8, 3}, 0b10)
                .transpose(1, 0, 2).slice(new int[]{0, 0, 0}, new int[]{4, 1, 3}).unpack(1);
        b.pack(0, b.nodes().get(0), b.nodes().get(0));
        Node y = b.sub(x, x).node();
        b.maximum(y, x).minimum(x, b.node()).squaredDifference(x, b.node()).argMax(DataType.INT32);
        b.from(x).quantize(DataType.INT16, 0.001f, 0).dequantize();
        Graph g = b.output(part).build();
        Graph back = TfliteReader.read(TfliteWriter.write(g));
        assertEquals(g, back);
    }

    @Test
    void quantizeAndDequantizeChangeTheType() {
        Graph g = ModelBuilder.int8("q").input(1, 4).quantize(DataType.INT16, 0.001f, 0).build();
        assertEquals(DataType.INT16, out(g).type());
        assertEquals(Quantization.perTensor(0.001f, 0), out(g).quantization());
        Graph d = ModelBuilder.int8("d").input(1, 4).dequantize().build();
        assertEquals(DataType.FLOAT32, out(d).type());
        assertEquals(null, out(d).quantization());
    }

    @Test
    void activationsWithFixedOutputScalesUseThem() {
        assertEquals(Quantization.perTensor(1f / 256, -128),
                out(ModelBuilder.int8("l").input(1, 4).logistic().build()).quantization());
        assertEquals(Quantization.perTensor(1f / 128, 0),
                out(ModelBuilder.int8("t").input(1, 4).tanh().build()).quantization());
        assertEquals(new BuiltinOptions.LeakyRelu(0.25f),
                last(ModelBuilder.int8("lr").input(1, 4).leakyRelu(0.25f).build()).options());
    }

    @Test
    void transposeConvolutionIsLaidOutAsTfliteWritesIt() {
        Graph g = ModelBuilder.int8("t").input(1, 4, 4, 8).transposeConv(6, 3, 3).stride(2, 2).build();
        Operator op = last(g);
        assertEquals(List.of(4), tensor(g, op.inputs().get(0)).shape());
        assertEquals(List.of(6, 3, 3, 8), tensor(g, op.inputs().get(1)).shape());
        assertEquals(List.of(1, 4, 4, 8), tensor(g, op.inputs().get(2)).shape());
        assertEquals(List.of(1, 8, 8, 6), out(g).shape());
        Graph valid = ModelBuilder.int8("v").input(1, 4, 4, 8).transposeConv(6, 3, 3).stride(2, 2)
                .padding(Padding.VALID).build();
        assertEquals(List.of(1, 9, 9, 6), out(valid).shape());
    }

    @Test
    void splitsGiveOneNodePerPart() {
        ModelBuilder b = ModelBuilder.int8("s").input(1, 4, 6).splitV(2, 1, 2, 3);
        assertEquals(List.of(List.of(1, 4, 1), List.of(1, 4, 2), List.of(1, 4, 3)),
                b.nodes().stream().map(Node::shape).toList());
        assertEquals(3, last(b.build()).outputs().size());
        ModelBuilder u = ModelBuilder.int8("u").input(2, 3, 5).unpack(1);
        assertEquals(3, u.nodes().size());
        assertEquals(List.of(2, 5), u.nodes().get(2).shape());
        assertThrows(IllegalArgumentException.class, () -> ModelBuilder.int8("e").input(1, 5).split(1, 2));
    }

    @Test
    void slicesPacksTransposesAndResizesHaveTfliteShapes() {
        assertEquals(List.of(1, 8), out(ModelBuilder.int8("s").input(1, 4, 8)
                .stridedSlice(new int[]{0, 2, 0}, new int[]{1, 3, 8}, 0b10).build()).shape());
        ModelBuilder p = ModelBuilder.int8("p").input(3, 5);
        Node a = p.node();
        assertEquals(List.of(3, 2, 5), out(p.pack(1, a, a).build()).shape());
        assertEquals(List.of(6, 4, 1), out(ModelBuilder.int8("t").input(1, 4, 6).transpose(2, 1, 0).build()).shape());
        Graph r = ModelBuilder.int8("r").input(1, 4, 4, 3).resizeBilinear(8, 8).resizeOptions(true, false).build();
        assertEquals(List.of(1, 8, 8, 3), out(r).shape());
        assertEquals(new BuiltinOptions.ResizeBilinear(true, false), last(r).options());
        assertEquals(List.of(1, 4), out(ModelBuilder.int8("a").input(1, 4, 9).argMax(DataType.INT64).build())
                .shape());
    }

    @Test
    void groupedConvolutionWeightsSeeTheirShareOfInputChannels() {
        Graph g = ModelBuilder.int8("g").input(1, 4, 4, 8).conv2d(6, 3, 3).groups(2).build();
        assertEquals(List.of(6, 3, 3, 4), tensor(g, last(g).inputs().get(1)).shape());
        assertThrows(IllegalArgumentException.class,
                () -> ModelBuilder.int8("g").input(1, 4, 4, 8).conv2d(6, 3, 3).groups(3));
    }

    @Test
    void constantsAreQuantizedWithTheGivenScale() {
        ModelBuilder b = ModelBuilder.int8("c").input(1, 4);
        Node c = b.constant("c", 0.5f, 0, new float[]{1f, -1f, 0f, 2f}, 4);
        Graph g = b.add(b.node(), c).build();
        Tensor t = tensor(g, c.tensorIndex());
        assertEquals(List.of(4), t.shape());
        byte[] data = g.buffers().get(t.buffer()).data().toArray();
        assertEquals(List.of((byte) 2, (byte) -2, (byte) 0, (byte) 4), List.of(data[0], data[1], data[2], data[3]));
        assertTrue(last(g).inputs().contains(c.tensorIndex()));
        assertEquals(BuiltinOperator.ADD, g.operatorCode(last(g)).builtin());
    }
}
