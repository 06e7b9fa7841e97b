#!/usr/bin/env python3
"""Draws the sample digest's lead image for the DeepSeek-R1 market article: a bar chart of
the one-day falls of 27 January 2025 named in the article (Nvidia about 17%, the Nasdaq
Composite about 3%). Self-made, no fonts or libraries beyond the standard one: a palette PNG
with a 5 x 7 pixel font, written to the path given (default: beside the article).

    python3 tests/tools/make_sample_chart.py
"""
import struct
import sys
import zlib

W, H = 1200, 630
PALETTE = [
    (0xFA, 0xF8, 0xF4),  # 0 paper
    (0x1F, 0x1F, 0x26),  # 1 ink
    (0xB4, 0x2D, 0x2D),  # 2 red bar
    (0x8A, 0x86, 0x7E),  # 3 muted bar
    (0xD9, 0xD4, 0xCA),  # 4 rule
]

GLYPHS = {
    "A": ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
    "C": ["01110", "10001", "10000", "10000", "10000", "10001", "01110"],
    "D": ["11110", "10001", "10001", "10001", "10001", "10001", "11110"],
    "E": ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
    "F": ["11111", "10000", "10000", "11110", "10000", "10000", "10000"],
    "I": ["01110", "00100", "00100", "00100", "00100", "00100", "01110"],
    "J": ["00111", "00010", "00010", "00010", "00010", "10010", "01100"],
    "L": ["10000", "10000", "10000", "10000", "10000", "10000", "11111"],
    "N": ["10001", "11001", "10101", "10011", "10001", "10001", "10001"],
    "O": ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
    "Q": ["01110", "10001", "10001", "10001", "10101", "10010", "01101"],
    "R": ["11110", "10001", "10001", "11110", "10100", "10010", "10001"],
    "S": ["01111", "10000", "10000", "01110", "00001", "00001", "11110"],
    "U": ["10001", "10001", "10001", "10001", "10001", "10001", "01110"],
    "V": ["10001", "10001", "10001", "10001", "10001", "01010", "00100"],
    "Y": ["10001", "10001", "01010", "00100", "00100", "00100", "00100"],
    "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    "1": ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
    "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    "3": ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
    "5": ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
    "7": ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
    "%": ["11001", "11010", "00010", "00100", "01000", "01011", "10011"],
    "-": ["00000", "00000", "00000", "11111", "00000", "00000", "00000"],
    ",": ["00000", "00000", "00000", "00000", "00110", "00100", "01000"],
    " ": ["00000"] * 7,
}

pixels = bytearray(W * H)


def rect(x, y, w, h, colour):
    for row in range(max(0, y), min(H, y + h)):
        start = row * W
        pixels[start + max(0, x) : start + min(W, x + w)] = bytes([colour]) * (min(W, x + w) - max(0, x))


def text(x, y, s, scale, colour):
    for ch in s:
        for r, bits in enumerate(GLYPHS[ch]):
            for c, bit in enumerate(bits):
                if bit == "1":
                    rect(x + c * scale, y + r * scale, scale, scale, colour)
        x += 6 * scale


rect(0, 0, W, H, 0)
text(80, 70, "ONE-DAY FALL, 27 JAN 2025", 7, 1)
rect(80, 150, W - 160, 4, 4)
# Bars to scale: 35 px a percentage point.
for i, (label, pct, colour) in enumerate([("NVIDIA", 17, 2), ("NASDAQ", 3, 3)]):
    y = 220 + i * 180
    text(80, y + 30, label, 6, 1)
    rect(340, y, pct * 35, 110, colour)
    text(340 + pct * 35 + 24, y + 30, "-%d%%" % pct, 6, 1)
rect(80, 580, W - 160, 4, 4)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


raw = b"".join(b"\0" + bytes(pixels[r * W : (r + 1) * W]) for r in range(H))
png = b"\x89PNG\r\n\x1a\n"
png += chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 3, 0, 0, 0))
png += chunk(b"PLTE", b"".join(bytes(c) for c in PALETTE))
png += chunk(b"IDAT", zlib.compress(raw, 9))
png += chunk(b"IEND", b"")
out = sys.argv[1] if len(sys.argv) > 1 else "content/articles/2025/deepseek-r1-rattles-markets/nvidia-fall.png"
with open(out, "wb") as f:
    f.write(png)
print(out, len(png), "bytes")
