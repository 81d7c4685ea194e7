// Loads a generator that `acgan export --format tfjs` wrote, with tf.loadLayersModel of @tensorflow/tfjs (the
// pure-JavaScript CPU backend, no tfjs-node), and generates images for given noise and labels, feeding them as the
// TF.js ACGAN example's generation page does: generator.predict([noise [N, latent], labels [N, 1] float32]).
//
// The model is loaded through tf.io.http, the browser's loader, with a fetch function that reads file:// URLs, so
// model.json, its weightsManifest and the shard paths are read exactly as a page reads them from a server.
//
// Usage: node generate.js MODEL_DIR NOISE.bin LABELS.bin|- OUT.bin [STRIP.png]
//   NOISE.bin  little-endian float32, N x latent (latent from the model's first input)
//   LABELS.bin little-endian float32 class indices, N of them ('-': an unconditional model)
//   OUT.bin    written: the images, little-endian float32 [N, height, width, channels] (NHWC), in [-1, 1]
//   STRIP.png  written if given: the images side by side, as the example page draws them
// Prints one JSON line: inputs, output shape, timings.
'use strict';

const fs = require('fs');
const path = require('path');
const url = require('url');
const zlib = require('zlib');
const tf = require('@tensorflow/tfjs');

function fail(message) {
  process.stderr.write('generate.js: ' + message + '\n');
  process.exit(1);
}

/** fetch() for file:// URLs, answering as a static file server does (404 for a missing file). */
async function fileFetch(resource) {
  const file = url.fileURLToPath(typeof resource === 'string' ? resource : resource.url);
  if (!fs.existsSync(file)) {
    return new Response('not found: ' + file, {status: 404, statusText: 'Not Found'});
  }
  return new Response(fs.readFileSync(file), {status: 200});
}

function readFloats(file) {
  const b = fs.readFileSync(file);
  const out = new Float32Array(b.length / 4);
  for (let i = 0; i < out.length; i++) {
    out[i] = b.readFloatLE(i * 4);
  }
  return out;
}

function writeFloats(file, values) {
  const b = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    b.writeFloatLE(values[i], i * 4);
  }
  fs.writeFileSync(file, b);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) {
    c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGBA PNG of width x height from tf.browser.toPixels' bytes. */
function png(rgba, width, height) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(rows, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function main() {
  const [modelDir, noiseFile, labelsFile, outFile, stripFile] = process.argv.slice(2);
  if (!outFile) {
    fail('usage: node generate.js MODEL_DIR NOISE.bin LABELS.bin|- OUT.bin [STRIP.png]');
  }
  await tf.setBackend('cpu');
  const t0 = Date.now();
  const modelUrl = url.pathToFileURL(path.resolve(modelDir, 'model.json')).href;
  const generator = await tf.loadLayersModel(tf.io.http(modelUrl, {fetchFunc: fileFetch}));
  const loadMs = Date.now() - t0;

  const latent = generator.inputs[0].shape[1];
  const noiseValues = readFloats(noiseFile);
  const n = noiseValues.length / latent;
  if (!Number.isInteger(n)) {
    fail(`${noiseFile} holds ${noiseValues.length} floats, not a multiple of the latent size ${latent}`);
  }
  const conditional = labelsFile !== '-';
  if (generator.inputs.length !== (conditional ? 2 : 1)) {
    fail(`the model has ${generator.inputs.length} inputs, expected ${conditional ? 2 : 1}`);
  }

  const t1 = Date.now();
  const images = tf.tidy(() => {
    const noise = tf.tensor2d(noiseValues, [n, latent]);
    if (!conditional) {
      return generator.predict(noise);
    }
    // As the example page: tf.tensor2d(labels, [N, 1]), float32.
    const labels = tf.tensor2d(readFloats(labelsFile), [n, 1]);
    return generator.predict([noise, labels]);
  });
  const values = images.dataSync();
  const generateMs = Date.now() - t1;
  writeFloats(outFile, values);

  if (stripFile) {
    // The example page: map [-1, 1] to [0, 1], put the images side by side, draw them.
    const strip = tf.tidy(() => tf.concat(tf.unstack(images.add(1).div(2)), 1).clipByValue(0, 1));
    const [height, width] = strip.shape;
    const rgba = await tf.browser.toPixels(strip);
    fs.writeFileSync(stripFile, png(rgba, width, height));
    strip.dispose();
  }
  console.log(JSON.stringify({
    inputs: generator.inputs.map((i) => i.shape),
    output: images.shape,
    loadMs,
    generateMs,
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
  }));
  images.dispose();
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
