package npuc.alloc;

/** Vela's --tensor-allocator choice; the names are the ones Vela accepts on its command line. */
public enum TensorAllocator {
    LinearAlloc, Greedy, HillClimb
}
