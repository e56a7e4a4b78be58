// Draws the installable app's icons (a white "H" on the site's blue, full-bleed so Android may
// mask it to any shape) as PNG without an image library: `node scripts/make-icons.mjs`.
import fs from "node:fs";
import zlib from "node:zlib";

const BLUE = [0x0b, 0x5c, 0xab];
const WHITE = [0xff, 0xff, 0xff];

function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function icon(size) {
  // The "H" sits inside the central 60% (the maskable safe zone is the central 80% circle).
  const inH = (x, y) => {
    const u = x / size;
    const v = y / size;
    if (v < 0.28 || v > 0.72) return false;
    const leftBar = u >= 0.3 && u < 0.41;
    const rightBar = u >= 0.59 && u < 0.7;
    const crossBar = u >= 0.3 && u < 0.7 && v >= 0.45 && v < 0.55;
    return leftBar || rightBar || crossBar;
  };
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) row.set(inH(x, y) ? WHITE : BLUE, 1 + x * 3);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

for (const size of [192, 512]) fs.writeFileSync(`public/icons/hocso-${size}.png`, icon(size));
