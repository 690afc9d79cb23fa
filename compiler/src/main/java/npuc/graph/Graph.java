package npuc.graph;

import java.util.List;

/**
 * A TFLite model as an immutable value: what the reader returns and the writer writes. Indices
 * (operator codes, buffers, tensors) are as in the file, so a read-write round trip gives an equal Graph.
 */
public record Graph(int version, String description, List<OperatorCode> operatorCodes, List<Subgraph> subgraphs,
                    List<Buffer> buffers, List<Metadata> metadata, List<SignatureDef> signatureDefs) {
    public Graph {
        operatorCodes = List.copyOf(operatorCodes);
        subgraphs = List.copyOf(subgraphs);
        buffers = List.copyOf(buffers);
        metadata = List.copyOf(metadata);
        signatureDefs = List.copyOf(signatureDefs);
    }

    public OperatorCode operatorCode(Operator op) {
        return operatorCodes.get(op.opcodeIndex());
    }

    public int operatorCount() {
        int n = 0;
        for (Subgraph sg : subgraphs) {
            n += sg.operators().size();
        }
        return n;
    }
}
