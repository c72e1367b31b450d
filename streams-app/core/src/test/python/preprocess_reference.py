#!/usr/bin/python3
"""Reference values for the Java preprocessor tests (not run by the build).

Run with Debian's /usr/bin/python3 (python3-pil 9.4.0, python3-numpy 1.24):
    /usr/bin/python3 streams-app/core/src/test/python/preprocess_reference.py
It prints the checksums that PillowParityTest / CenterCropParityTest embed. The synthetic
image generator mirrors SyntheticImages.java exactly (64-bit LCG, integer arithmetic).
"""
import os
import sys
import zlib

import numpy as np
from PIL import Image

MASK = (1 << 64) - 1
PHOTOS = os.path.join(os.environ.get("STREAMSIGHT_SHARED_DIR", "/work/shared"), "images/photos/")


def synth(w, h, seed):
    """Gradients + LCG noise + noisy 8x8 blocks: same bytes as SyntheticImages.rgb(w, h, seed)."""
    s = seed & MASK
    out = bytearray(w * h * 3)
    i = 0
    for y in range(h):
        for x in range(w):
            for c in range(3):
                s = (s * 6364136223846793005 + 1442695040888963407) & MASK
                r = s >> 56
                if c == 0:
                    g = x * 255 // max(1, w - 1)
                elif c == 1:
                    g = y * 255 // max(1, h - 1)
                else:
                    g = (x ^ y) & 255
                v = r if ((x // 8 + y // 8) % 3 == 0) else (3 * g + r) // 4
                out[i] = v
                i += 1
    return Image.frombytes("RGB", (w, h), bytes(out))


FILTERS = {"NEAREST": Image.NEAREST, "AREA": Image.BOX, "BILINEAR": Image.BILINEAR, "BICUBIC": Image.BICUBIC}


def describe(name, data, w, h):
    a = np.frombuffer(data, dtype=np.uint8)
    samples = [a[(y * w + x) * 3 + c] for (x, y, c) in
               [(0, 0, 0), (w // 2, h // 2, 1), (w - 1, h - 1, 2), (w // 3, (2 * h) // 3, 0)]]
    print(f"{name}: crc32=0x{zlib.crc32(data):08x} sum={int(a.sum(dtype=np.int64))} "
          f"samples={[int(v) for v in samples]}")


def resize_cases():
    cases = [
        (500, 375, 341, 256, "BILINEAR", 1),
        (1000, 1000, 256, 256, "BILINEAR", 2),
        (37, 23, 100, 61, "BILINEAR", 3),
        (640, 480, 300, 225, "BICUBIC", 4),
        (37, 23, 100, 61, "BICUBIC", 3),
        (500, 375, 341, 256, "NEAREST", 1),
        (37, 23, 100, 61, "NEAREST", 3),
        (640, 480, 416, 312, "BILINEAR", 4),
        (300, 200, 300, 77, "BILINEAR", 5),
        (640, 480, 416, 312, "AREA", 4),
        (37, 23, 100, 61, "AREA", 3),
    ]
    for (w, h, dw, dh, f, seed) in cases:
        im = synth(w, h, seed).resize((dw, dh), FILTERS[f])
        describe(f"resize {w}x{h}->{dw}x{dh} {f} seed={seed}", im.tobytes(), dw, dh)


def torchvision_resize_crop(im, short, crop):
    """torchvision Resize(short) + CenterCrop(crop) on a PIL image (F.resize / F.center_crop)."""
    w, h = im.size
    if w <= h:
        nw, nh = short, int(short * h / w)
    else:
        nw, nh = int(short * w / h), short
    im = im.resize((nw, nh), Image.BILINEAR)
    top = int(round((nh - crop) / 2.0))
    left = int(round((nw - crop) / 2.0))
    return im.crop((left, top, left + crop, top + crop)), (nw, nh, left, top)


def crop_cases():
    for (label, im) in [("synthetic 500x375 seed=1", synth(500, 375, 1)),
                        ("synthetic 375x500 seed=6", synth(375, 500, 6)),
                        ("winml_fish_224.png", Image.open(PHOTOS + "winml_fish_224.png").convert("RGB")),
                        ("winml_kitten_224.png", Image.open(PHOTOS + "winml_kitten_224.png").convert("RGB"))]:
        out, info = torchvision_resize_crop(im, 256, 224)
        describe(f"crop {label} {info}", out.tobytes(), 224, 224)
        # ToTensor + Normalize in float32 (x / 255, then (x - mean) / std), NCHW.
        x = np.asarray(out, dtype=np.float32).transpose(2, 0, 1) / np.float32(255)
        mean = np.array([0.485, 0.456, 0.406], dtype=np.float32).reshape(3, 1, 1)
        std = np.array([0.229, 0.224, 0.225], dtype=np.float32).reshape(3, 1, 1)
        t = (x - mean) / std
        print(f"  imagenet NCHW sum={float(t.sum(dtype=np.float64)):.6f} "
              f"t[0,0,0]={t[0,0,0]:.7f} t[1,112,112]={t[1,112,112]:.7f} t[2,223,223]={t[2,223,223]:.7f}")


if __name__ == "__main__":
    resize_cases()
    crop_cases()
    sys.exit(0)
