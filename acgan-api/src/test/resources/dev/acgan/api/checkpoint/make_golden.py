#!/usr/bin/env python3
"""Hand-assembles golden.safetensors for SafeTensorsTest, independently of the Java writer.

Layout (https://github.com/huggingface/safetensors#format):
  8 bytes   little-endian unsigned header length N
  N bytes   UTF-8 JSON header, "__metadata__" first, then tensors in name order, each with
            dtype/shape/data_offsets (offsets relative to the end of the header), compact
            separators, padded with spaces so that N is a multiple of 8
  then      the tensors' little-endian float32 values, in the same order

Run:  python3 make_golden.py   (writes golden.safetensors next to this script)
"""
import json
import os
import struct
from collections import OrderedDict

tensors = [  # name, shape, values -- already in name order
    ("a", [2, 2], [1.0, 2.0, 3.0, 4.0]),
    ("b/c", [3], [-1.5, 0.0, 2.25]),
    ("s", [], [7.0]),
]
header = OrderedDict()
header["__metadata__"] = OrderedDict([("format", "acgan")])
data = b""
for name, shape, values in tensors:
    begin = len(data)
    data += struct.pack("<%df" % len(values), *values)
    header[name] = OrderedDict([("dtype", "F32"), ("shape", shape), ("data_offsets", [begin, len(data)])])
text = json.dumps(header, separators=(",", ":")).encode("utf-8")
text += b" " * (-len(text) % 8)
out = struct.pack("<Q", len(text)) + text + data
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.safetensors"), "wb") as f:
    f.write(out)
print(len(out), "bytes;", "header", len(text), "bytes:", text.decode())
