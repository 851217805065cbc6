// Prints the production bundle's size, raw and gzip (what a browser downloads), per file and in total.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dir = process.argv[2] ?? "dist";
const files = readdirSync(join(dir, "assets")).filter((f) => /\.(js|css)$/.test(f));
let raw = 0;
let gz = 0;
for (const file of files) {
  const data = readFileSync(join(dir, "assets", file));
  const zipped = gzipSync(data, { level: 9 }).length;
  raw += data.length;
  gz += zipped;
  console.log(`${file}: ${(data.length / 1024).toFixed(1)} kB, gzip ${(zipped / 1024).toFixed(1)} kB`);
}
console.log(`bundle: ${(raw / 1024).toFixed(1)} kB, gzip ${(gz / 1024).toFixed(1)} kB`);
