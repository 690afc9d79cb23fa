#!/bin/sh
# Regenerates the Java classes of the TFLite schema (src/main/fbs/tflite.fbs) into
# src/main/java/npuc/schema/tflite. The output is committed, so a build needs no flatc; run this
# after changing the schema. The classes must come from flatc 2.0.8, the version of the
# flatbuffers-java runtime the build pins (the generated code checks it at class-load time).
set -eu
cd "$(dirname "$0")"

required=2.0.8
found=$(flatc --version 2>/dev/null | sed -n 's/^flatc version //p')
if [ "$found" != "$required" ]; then
    echo "generate.sh: needs flatc $required, found '${found:-none}'" >&2
    exit 1
fi

out=src/main/java/npuc/schema/tflite
rm -rf "$out"
flatc --java -o src/main/java src/main/fbs/tflite.fbs
echo "generated $(ls "$out" | wc -l) classes in $out"
