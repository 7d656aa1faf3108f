#!/usr/bin/env python3
"""Draws assets/web/static/favicon.ico: the same picture as favicon.svg
(a blue rounded square, a white ticket with a notch on each side, a blue
"L" on it and a red dot), 32x32, as a 32-bit BMP inside an ICO. Run it
from the repository's root after changing the picture."""
import struct

N = 32
BLUE, WHITE, RED, CLEAR = (0x8a, 0x4f, 0x0b, 255), (255, 255, 255, 255), (0x2e, 0x10, 0xc8, 255), (0, 0, 0, 0)


def pixel(x, y):
    cx, cy = x + 0.5, y + 0.5
    # rounded square, radius 6
    for ex, ey in ((6, 6), (26, 6), (6, 26), (26, 26)):
        if (cx < 6 or cx > 26) and (cy < 6 or cy > 26):
            if (cx - ex) ** 2 + (cy - ey) ** 2 > 36 and abs(cx - ex) <= 6 and abs(cy - ey) <= 6:
                return CLEAR
    if (cx - 21) ** 2 + (cy - 13) ** 2 <= 4:
        return RED
    if 7 <= cx <= 25 and 9 <= cy <= 23:
        if ((cx - 7) ** 2 + (cy - 16) ** 2 < 4) or ((cx - 25) ** 2 + (cy - 16) ** 2 < 4):
            return BLUE
        if (11 <= cx <= 13.5 and 12 <= cy <= 20) or (11 <= cx <= 18 and 17.5 <= cy <= 20):
            return BLUE
        return WHITE
    return BLUE


rows = b""
for y in range(N - 1, -1, -1):  # BMP rows go bottom up
    rows += b"".join(bytes(pixel(x, y)) for x in range(N))
mask = b"\x00" * (4 * N)  # AND mask, 32 bits a row; alpha does the work
bmp = struct.pack("<IiiHHIIiiII", 40, N, 2 * N, 1, 32, 0, len(rows) + len(mask), 0, 0, 0, 0) + rows + mask
ico = struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", N, N, 0, 0, 1, 32, len(bmp), 22) + bmp
with open("assets/web/static/favicon.ico", "wb") as f:
    f.write(ico)
