// woff-to-ttf.mjs - unwraps WOFF (1.0) font files into the TrueType/OpenType
// files they hold, for fontconfig and Chromium, which take only those.  The
// fonts come from an npm package (test_flow.sh: Noto Nastaliq Urdu, which
// Debian 12 does not package).  Usage: node woff-to-ttf.mjs OUT_DIR FILE.woff...
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inflateSync } from 'node:zlib';

const [outDir, ...files] = process.argv.slice(2);
for (const file of files) {
  const w = readFileSync(file);
  if (w.toString('latin1', 0, 4) !== 'wOFF') throw new Error(`${file}: not WOFF 1.0`);
  const flavor = w.readUInt32BE(4), numTables = w.readUInt16BE(12);
  const tables = [];
  for (let i = 0; i < numTables; i++) {
    const e = 44 + i * 20;
    const offset = w.readUInt32BE(e + 4), comp = w.readUInt32BE(e + 8), orig = w.readUInt32BE(e + 12);
    const raw = w.subarray(offset, offset + comp);
    tables.push({ tag: w.subarray(e, e + 4), checksum: w.readUInt32BE(e + 16),
                  data: comp < orig ? inflateSync(raw) : raw });
  }
  let pow = 1, log = 0;
  while (pow * 2 <= numTables) { pow *= 2; log++; }
  const head = Buffer.alloc(12 + 16 * numTables);
  head.writeUInt32BE(flavor, 0);
  head.writeUInt16BE(numTables, 4);
  head.writeUInt16BE(pow * 16, 6);
  head.writeUInt16BE(log, 8);
  head.writeUInt16BE(numTables * 16 - pow * 16, 10);
  const parts = [head];
  let offset = head.length;
  tables.forEach((t, i) => {
    const r = 12 + i * 16;
    t.tag.copy(head, r);
    head.writeUInt32BE(t.checksum, r + 4);
    head.writeUInt32BE(offset, r + 8);
    head.writeUInt32BE(t.data.length, r + 12);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  writeFileSync(join(outDir, basename(file, '.woff') + '.ttf'), Buffer.concat(parts));
}
