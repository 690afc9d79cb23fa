#!/usr/bin/env python3
"""Times the weight encoders of installed Vela releases on the weights an npuc benchmark wrote.

Vela itself is not part of npuc: this script imports the encoder an installed Vela ships and calls it
on the same weights npuc's weight-encoding benchmark encodes, in one process, so the two encoders are
timed on equal terms.

  vela 3.10: mlw_codec.reorder_encode (its C extension), which takes the OHWI weights of an operation
             and both orders them into bricks and compresses them, as npuc's encoder does;
  vela 5.1:  mle_encode of its C++ core's weight codec, called through ctypes on the weights already in
             brick order (its own brick ordering is not exposed, so it is given that work for free).

The workload file holds, for every operation: 13 little-endian int32 (ofm depth, kernel height, kernel
width, ifm depth, ofm block depth, depthwise, part-kernel-first, ifm bits, sub-kernel height, sub-kernel
width, ifm micro-block depth, ofm micro-block depth, brick length), the OHWI weights as int16, then the
weights in brick order as int16. Prints one JSON object per encoder found: weights, seconds (the best of
--repeats passes over all operations) and weights_per_second.
"""
import argparse
import ctypes
import glob
import json
import os
import struct
import sys
import time

HEADER = struct.Struct("<13i")


def read_workload(path):
    ops = []
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        h = HEADER.unpack_from(data, pos)
        pos += HEADER.size
        count = h[0] * h[1] * h[2] * h[3]
        ohwi = data[pos:pos + 2 * count]
        pos += 2 * count
        brick = data[pos:pos + 2 * h[12]]
        pos += 2 * h[12]
        ops.append((h, ohwi, brick))
    return ops


def best_of(repeats, run):
    best = None
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def time_vela3(root, ops, repeats):
    sys.path.insert(0, root)
    import numpy as np
    from ethosu import mlw_codec
    arrays = []
    for h, ohwi, _ in ops:
        w = np.frombuffer(ohwi, dtype=np.int16).reshape(h[0], h[1], h[2], h[3])
        arrays.append((h, w))

    def run():
        for h, w in arrays:
            mlw_codec.reorder_encode(h[10], h[11], w, h[4], h[5], h[6], h[7], h[8], h[9])

    return sum(h[0] * h[1] * h[2] * h[3] for h, _, _ in ops), best_of(repeats, run)


class EncodeResult(ctypes.Structure):
    _fields_ = [("encoded_data", ctypes.c_void_p), ("encoded_length", ctypes.c_int32),
                ("source_length", ctypes.c_int32), ("section_info", ctypes.c_void_p),
                ("section_count", ctypes.c_int32)]


def time_vela5(root, ops, repeats):
    libraries = glob.glob(os.path.join(root, "ethosu", "regor*.so"))
    if not libraries:
        raise RuntimeError("no regor library under " + root)
    regor = ctypes.CDLL(libraries[0])
    regor.mle_create_context.restype = ctypes.c_void_p
    regor.mle_create_context.argtypes = [ctypes.c_int]
    regor.mle_destroy_context.argtypes = [ctypes.c_void_p]
    regor.mle_encode.restype = ctypes.c_int
    regor.mle_encode.argtypes = [ctypes.c_void_p, ctypes.POINTER(EncodeResult), ctypes.c_void_p, ctypes.c_int,
                                 ctypes.c_uint]
    regor.mle_free.argtypes = [ctypes.POINTER(EncodeResult)]
    new_palette = 2 | 4  # insert and recalculate the palette, as the core does for each stream
    bricks = [(ctypes.create_string_buffer(brick, len(brick)), len(brick) // 2) for _, _, brick in ops if brick]

    def run():
        for buf, n in bricks:
            ctx = regor.mle_create_context(0)
            result = EncodeResult()
            if regor.mle_encode(ctx, ctypes.byref(result), buf, n, new_palette) < 0:
                raise RuntimeError("mle_encode failed")
            regor.mle_free(ctypes.byref(result))
            regor.mle_destroy_context(ctx)

    return sum(h[0] * h[1] * h[2] * h[3] for h, _, _ in ops), best_of(repeats, run)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", required=True)
    parser.add_argument("--vela3-root", help="folder holding vela 3.10's ethosu package")
    parser.add_argument("--vela5-root", help="folder holding vela 5.1's ethosu package")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    ops = read_workload(args.workload)
    for name, root, timer in (("vela-3.10 mlw_codec", args.vela3_root, time_vela3),
                              ("vela-5.1 regor mle_encode", args.vela5_root, time_vela5)):
        if not root:
            continue
        try:
            weights, seconds = timer(root, ops, args.repeats)
        except Exception as e:  # one release that cannot be loaded leaves the other's figures
            print(json.dumps({"encoder": name, "error": str(e)}), flush=True)
            continue
        print(json.dumps({"encoder": name, "weights": weights, "seconds": seconds,
                          "weights_per_second": weights / seconds}), flush=True)


if __name__ == "__main__":
    main()
