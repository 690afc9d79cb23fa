package npuc.frontend;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subgraph of the front end's mutable graph: its output tensors are the roots every traversal starts
 * from, so operations that no output depends on drop out by themselves.
 */
final class WorkSubgraph {
    final String name;
    final int index;
    List<GraphTensor> outputs;
    List<GraphTensor> inputs = new ArrayList<>();
    /** Input tensors in the file's order. */
    List<GraphTensor> originalInputs;

    WorkSubgraph(String name, int index, List<GraphTensor> outputs) {
        this.name = name;
        this.index = index;
        this.outputs = new ArrayList<>(outputs);
    }

    /** Every operation the outputs depend on, each after the producers of its inputs (Vela's get_all_ops). */
    List<GraphOp> allOps() {
        List<GraphOp> all = new ArrayList<>();
        Set<GraphOp> seenOps = identitySet();
        Set<GraphTensor> seenTensors = identitySet();
        for (GraphTensor t : outputs) {
            collect(t, all, seenOps, seenTensors);
        }
        return all;
    }

    private static void collect(GraphTensor t, List<GraphOp> all, Set<GraphOp> seenOps, Set<GraphTensor> seenTensors) {
        if (t == null || !seenTensors.add(t)) {
            return;
        }
        for (GraphOp op : t.producers) {
            if (seenOps.add(op)) {
                for (GraphTensor in : op.inputs) {
                    collect(in, all, seenOps, seenTensors);
                }
                all.add(op);
            }
        }
    }

    /**
     * Rebuilds every consumer list from the operations reachable from the outputs, then marks the outputs as
     * read by the graph (a null consumer). Also collects the non-variable graph inputs in visiting order.
     */
    void refreshConsumers() {
        Set<GraphOp> seenOps = identitySet();
        Set<GraphTensor> seenTensors = identitySet();
        inputs = new ArrayList<>();
        for (GraphTensor t : outputs) {
            visitForConsumers(t, seenOps, seenTensors);
            t.consumers.add(null);
        }
    }

    private void visitForConsumers(GraphTensor t, Set<GraphOp> seenOps, Set<GraphTensor> seenTensors) {
        if (!seenTensors.add(t)) {
            return;
        }
        t.consumers = new ArrayList<>();
        for (GraphOp op : t.producers) {
            if (!seenOps.add(op)) {
                continue;
            }
            for (GraphTensor in : op.inputs) {
                if (in == null) {
                    continue;
                }
                visitForConsumers(in, seenOps, seenTensors);
                in.consumers.add(op);
            }
            if ((op.type == OpType.Placeholder || op.type == OpType.SubgraphInput) && !op.outputs.get(0).variable) {
                inputs.add(op.outputs.get(0));
            }
            for (GraphTensor out : op.outputs) {
                if (out != null && !seenTensors.contains(out)) {
                    out.consumers = new ArrayList<>();
                }
            }
        }
    }

    /** A rewrite of one operation; returns the operation that replaces it (itself when nothing changed). */
    interface OpRewrite {
        GraphOp apply(GraphOp op);
    }

    /** A rewrite of one tensor; returns the tensor that replaces it. */
    interface TensorRewrite {
        GraphTensor apply(GraphTensor t);
    }

    /**
     * Vela's pre-order rewrite: from each output, rewrite a tensor to a fixed point, then its producers; rewrite
     * an operation to a fixed point (each function only while the op runs on the NPU, unless
     * {@code rewriteUnsupported}), then its inputs, then its outputs. Memoised on both the original and the result.
     */
    void rewritePreOrder(List<TensorRewrite> tensorRewrites, List<OpRewrite> opRewrites, boolean rewriteUnsupported) {
        Map<GraphOp, GraphOp> opDone = new IdentityHashMap<>();
        Map<GraphTensor, GraphTensor> tensDone = new IdentityHashMap<>();
        List<GraphTensor> newOutputs = new ArrayList<>();
        for (GraphTensor t : outputs) {
            newOutputs.add(visitTensor(t, tensorRewrites, opRewrites, rewriteUnsupported, opDone, tensDone));
        }
        outputs = newOutputs;
        refreshConsumers();
    }

    private GraphTensor visitTensor(GraphTensor tens, List<TensorRewrite> tensorRewrites, List<OpRewrite> opRewrites,
                                    boolean rewriteUnsupported, Map<GraphOp, GraphOp> opDone,
                                    Map<GraphTensor, GraphTensor> tensDone) {
        if (tens == null) {
            return null;
        }
        GraphTensor done = tensDone.get(tens);
        if (done != null) {
            return done;
        }
        GraphTensor res = tens;
        GraphTensor prev = null;
        while (prev != res) {
            prev = res;
            for (TensorRewrite r : tensorRewrites) {
                res = r.apply(res);
            }
        }
        tensDone.put(tens, res);
        tensDone.put(res, res);
        List<GraphOp> ops = res.producers;
        List<GraphOp> visited = new ArrayList<>();
        res.producers = visited;
        for (GraphOp op : ops) {
            // A rewrite may rebind the producer list meanwhile; the result then lands in the detached list.
            visited.add(visitOp(op, tensorRewrites, opRewrites, rewriteUnsupported, opDone, tensDone));
        }
        return res;
    }

    private GraphOp visitOp(GraphOp op, List<TensorRewrite> tensorRewrites, List<OpRewrite> opRewrites,
                            boolean rewriteUnsupported, Map<GraphOp, GraphOp> opDone,
                            Map<GraphTensor, GraphTensor> tensDone) {
        GraphOp done = opDone.get(op);
        if (done != null) {
            return done;
        }
        GraphOp res = op;
        GraphOp prev = null;
        while (prev != res) {
            prev = res;
            for (OpRewrite r : opRewrites) {
                if (res.runOnNpu || rewriteUnsupported) {
                    res = r.apply(res);
                }
            }
        }
        opDone.put(op, res);
        opDone.put(res, res);
        List<GraphTensor> ins = res.inputs;
        List<GraphTensor> newIns = new ArrayList<>();
        res.inputs = newIns;
        for (GraphTensor t : ins) {
            newIns.add(visitTensor(t, tensorRewrites, opRewrites, rewriteUnsupported, opDone, tensDone));
        }
        List<GraphTensor> outs = res.outputs;
        List<GraphTensor> newOuts = new ArrayList<>();
        res.outputs = newOuts;
        for (GraphTensor t : outs) {
            newOuts.add(visitTensor(t, tensorRewrites, opRewrites, rewriteUnsupported, opDone, tensDone));
        }
        return res;
    }

    /** A visit of one operation in post-order. */
    interface OpVisit {
        void visit(GraphOp op);
    }

    /** Vela's post-order visit: an operation's inputs (and their producers) first, then the op, then its outputs. */
    void visitPostOrder(List<OpVisit> visits) {
        Set<GraphOp> seenOps = identitySet();
        Set<GraphTensor> seenTensors = identitySet();
        for (GraphTensor t : new ArrayList<>(outputs)) {
            postVisitTensor(t, visits, seenOps, seenTensors);
        }
    }

    private void postVisitTensor(GraphTensor t, List<OpVisit> visits, Set<GraphOp> seenOps,
                                 Set<GraphTensor> seenTensors) {
        if (t == null || !seenTensors.add(t)) {
            return;
        }
        for (GraphOp op : new ArrayList<>(t.producers)) {
            if (!seenOps.add(op)) {
                continue;
            }
            for (GraphTensor in : new ArrayList<>(op.inputs)) {
                postVisitTensor(in, visits, seenOps, seenTensors);
            }
            for (OpVisit v : visits) {
                v.visit(op);
            }
            for (GraphTensor out : new ArrayList<>(op.outputs)) {
                postVisitTensor(out, visits, seenOps, seenTensors);
            }
        }
    }

    static <T> Set<T> identitySet() {
        return java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    }

}
