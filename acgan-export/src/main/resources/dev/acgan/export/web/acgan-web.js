'use strict';
// The page of 'acgan export --format web': samples of a class (or all), latent sliders and an interpolation strip,
// generated in this page by generator.onnx on onnxruntime-web's WebAssembly (CPU) backend. No server is asked for
// anything but the files of this directory, so any static file server (or none but a CDN) can host it.
//
// The noise of a seed is java.util.SplittableRandom's, exactly as 'acgan serve' draws it (NoiseSampler, SampleGrid),
// so one seed gives the same images here and there.
//
// acganWeb.last holds the inputs and outputs of the latest generation (noise, labels, images, dims), and
// acganWeb.pictures those of each picture by its <img> id (gen-image, latent-image, walk-image), for scripts and tests.
const acganWeb = (() => {
  const $ = (id) => document.getElementById(id);
  const MAX_IMAGES = 400; // as acgan serve
  const MAX_WALK_STEPS = 40;
  const SLIDERS = 5;
  const ROW = 10; // images per row of a one-class or unconditional picture
  const MAX_ROWS = 20; // class rows at most
  const PAD = 2; // grid padding, as ImageGrid
  const PAD_GREY = 80;
  const MODEL = 'generator.onnx';
  const DESCRIPTION = 'export.json';
  const RUNTIME = 'ort/ort.wasm.bundle.min.mjs';
  const WASM = 'ort/ort-wasm-simd-threaded.wasm';

  const api = {last: null, pictures: {}, model: null, runtime: null, ready: false};
  const urls = {};
  let ort = null;
  let session = null;
  let queue = Promise.resolve();
  let latentSeq = 0;
  let runs = 0;
  const errorBox = $('error');

  // ---------------------------------------------------------------------------------------------
  // java.util.SplittableRandom (SplitMix64), on BigInt: the same doubles as the JVM for the same seed.

  const MASK = (1n << 64n) - 1n;
  const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
  const DOUBLE_UNIT = 2 ** -53;
  const MIN_NORMAL = 2.2250738585072014e-308;

  class SplittableRandom {
    constructor(seed) {
      this.seed = BigInt.asUintN(64, BigInt(seed));
    }

    nextLong() {
      this.seed = (this.seed + GOLDEN_GAMMA) & MASK;
      let z = this.seed;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
      return z ^ (z >> 31n);
    }

    nextDouble() {
      return Number(this.nextLong() >> 11n) * DOUBLE_UNIT;
    }

    /** SeedStreams.gaussian: Box-Muller on two doubles. */
    gaussian() {
      let u1;
      do {
        u1 = this.nextDouble();
      } while (u1 <= MIN_NORMAL);
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * this.nextDouble());
    }
  }

  /** NoiseSampler.sample: [n, latent] float32 from the model's prior. */
  function noise(n, rnd) {
    const z = new Float32Array(n * api.model.latentDim);
    const uniform = api.model.noise === 'uniform';
    for (let i = 0; i < z.length; i++) z[i] = uniform ? rnd.nextDouble() * 2 - 1 : rnd.gaussian();
    return z;
  }

  // ---------------------------------------------------------------------------------------------
  // Inputs of a picture, as SampleGrid lays them out (row-major; a conditional grid has one class per row).

  function classRows() {
    const n = Math.min(api.model.classes, MAX_ROWS);
    return Array.from({length: n}, (_, i) => i);
  }

  function byRows(classes, cols, rowNoise) {
    const dim = api.model.latentDim;
    const n = classes.length * cols;
    const z = new Float32Array(n * dim);
    const labels = new Array(n);
    classes.forEach((c, r) => {
      z.set(rowNoise.subarray(0, cols * dim), r * cols * dim);
      labels.fill(c, r * cols, (r + 1) * cols);
    });
    return {rows: classes.length, cols, noise: z, labels};
  }

  function checkCount(images, what) {
    if (images > MAX_IMAGES) {
      throw new Error(what + ' makes ' + images + ' images; at most ' + MAX_IMAGES + ' at a time');
    }
  }

  function samplesGrid(cls, count, seed) {
    const rnd = new SplittableRandom(seed);
    if (!api.model.conditional || cls !== null) {
      checkCount(count, 'count');
      const z = noise(count, rnd);
      const cols = Math.min(ROW, count);
      const labels = api.model.conditional ? new Array(count).fill(cls) : null;
      return {rows: Math.ceil(count / cols), cols, noise: z, labels};
    }
    const classes = classRows();
    checkCount(count * classes.length, 'count x ' + classes.length + ' classes');
    return byRows(classes, count, noise(count, rnd));
  }

  function latentGrid(cls, seed, zs) {
    const dim = api.model.latentDim;
    const base = noise(1, new SplittableRandom(seed));
    zs.forEach((v, i) => {
      base[i] = v;
    });
    const labels = !api.model.conditional ? null : cls !== null ? [cls] : classRows();
    const n = labels === null ? 1 : labels.length;
    const z = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) z.set(base, i * dim);
    return {rows: 1, cols: n, noise: z, labels};
  }

  function walkGrid(cls, from, to, steps) {
    const dim = api.model.latentDim;
    const classes = !api.model.conditional ? null : cls !== null ? [cls] : classRows();
    checkCount(steps * (classes === null ? 1 : classes.length), 'steps x rows');
    const za = noise(1, new SplittableRandom(from));
    const zb = noise(1, new SplittableRandom(to));
    const f = Math.fround;
    const walk = new Float32Array(steps * dim);
    for (let s = 0; s < steps; s++) {
      const t = f(s / (steps - 1)); // float arithmetic, as SampleGrid.interpolation
      for (let k = 0; k < dim; k++) walk[s * dim + k] = f(f(f(1 - t) * za[k]) + f(t * zb[k]));
    }
    if (classes === null) return {rows: 1, cols: steps, noise: walk, labels: null};
    return byRows(classes, steps, walk);
  }

  // ---------------------------------------------------------------------------------------------
  // Running the generator and drawing a grid

  /** Runs the model on a grid's inputs, one run at a time (a session runs one call at once). */
  function run(grid) {
    const job = queue.then(async () => {
      const n = grid.noise.length / api.model.latentDim;
      const feeds = {noise: new ort.Tensor('float32', grid.noise, [n, api.model.latentDim])};
      if (api.model.conditional) {
        feeds.label = new ort.Tensor('int64', BigInt64Array.from(grid.labels, (c) => BigInt(c)), [n]);
      }
      const t0 = performance.now();
      const out = await session.run(feeds);
      const ms = performance.now() - t0;
      const image = out.image;
      return {images: image.data, dims: image.dims.map(Number), ms};
    });
    queue = job.catch(() => {});
    return job;
  }

  /** ImageBatch.pixelToByte: [-1, 1] to 0..255 in float arithmetic, rounded half up. */
  function toByte(v) {
    const f = Math.fround;
    const unit = f(f(Math.max(-1, Math.min(1, v)) + 1) * 0.5);
    return Math.floor(f(unit * 255) + 0.5);
  }

  /** ImageGrid.render, then ImageGrid.scale: a PNG data URL. */
  function draw(grid, result, scale) {
    const [n, h, w, c] = result.dims;
    const width = (grid.cols * (w + PAD) + PAD) * scale;
    const height = (grid.rows * (h + PAD) + PAD) * scale;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    const img = ctx.createImageData(width, height);
    const px = img.data;
    for (let i = 0; i < px.length; i += 4) {
      px[i] = px[i + 1] = px[i + 2] = PAD_GREY;
      px[i + 3] = 255;
    }
    const rgb = c === 3;
    for (let k = 0; k < n; k++) {
      const x0 = PAD + (k % grid.cols) * (w + PAD);
      const y0 = PAD + Math.floor(k / grid.cols) * (h + PAD);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const at = ((k * h + y) * w + x) * c;
          const r = toByte(result.images[at]);
          const g = rgb ? toByte(result.images[at + 1]) : r;
          const b = rgb ? toByte(result.images[at + 2]) : r;
          for (let sy = 0; sy < scale; sy++) {
            let o = (((y0 + y) * scale + sy) * width + (x0 + x) * scale) * 4;
            for (let sx = 0; sx < scale; sx++, o += 4) {
              px[o] = r;
              px[o + 1] = g;
              px[o + 2] = b;
            }
          }
        }
      }
    }
    ctx.putImageData(img, 0, 0);
    return canvas.toDataURL('image/png');
  }

  /** Generates a grid and shows it in an <img>, with the time and a download link. */
  async function picture(grid, scale, ids, what, fileName, isCurrent) {
    const result = await run(grid);
    if (isCurrent && !isCurrent()) return false;
    api.last = {what, rows: grid.rows, cols: grid.cols, noise: grid.noise, labels: grid.labels, ...result};
    api.pictures[ids.img] = api.last;
    const url = draw(grid, result, scale);
    const img = $(ids.img);
    await new Promise((resolve, reject) => {
      img.onload = resolve;
      img.onerror = () => reject(new Error('the browser could not show the picture'));
      img.src = url;
    });
    img.hidden = false;
    if (img.classList.contains('zoom')) {
      const zoom = Math.max(1, Math.min(8, Math.floor(560 / img.naturalWidth)));
      img.style.width = (img.naturalWidth * zoom) + 'px';
    }
    const n = result.dims[0];
    const label = $(ids.time);
    label.textContent = n + ' image' + (n === 1 ? '' : 's') + ' in ' + Math.round(result.ms) + ' ms · ' + what
      + ' · in this browser';
    label.dataset.ms = String(result.ms);
    label.dataset.run = String(++runs);
    const a = $(ids.download);
    a.href = url;
    a.download = 'acgan-' + api.model.preset + '-' + fileName + '.png';
    a.hidden = false;
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // The form

  function show(msg) {
    errorBox.textContent = msg || '';
    errorBox.hidden = !msg;
  }

  /** An integer field (a seed may be any long): its value as a string, or an error naming it. */
  function integer(id, name, min, max) {
    const s = String($(id).value).trim();
    if (!/^-?\d+$/.test(s)) throw new Error(name + ' must be an integer, got \'' + s + '\'');
    const v = BigInt(s);
    if ((min !== undefined && v < BigInt(min)) || (max !== undefined && v > BigInt(max))) {
      throw new Error(name + ' must be between ' + min + ' and ' + max + ', got ' + s);
    }
    if (v < -(1n << 63n) || v >= (1n << 63n)) throw new Error(name + ' must fit in 64 bits, got ' + s);
    return v;
  }

  function cls() {
    const v = $('class').value;
    return v === 'all' || !api.model.conditional ? null : Number(v);
  }

  function clsWhat(c) {
    if (!api.model.conditional) return '';
    return c === null ? ', one row per class' : ', class ' + c;
  }

  async function generate() {
    if (!session) return false;
    show(null);
    $('generate').disabled = true;
    try {
      const c = cls();
      const count = Number(integer('count', 'count', 1, MAX_IMAGES));
      const seed = integer('seed', 'seed');
      const scale = Number($('scale').value);
      const grid = samplesGrid(c, count, seed);
      const what = count + ' image' + (count === 1 ? '' : 's')
        + (c !== null ? ' of class ' + c : api.model.conditional ? ' of each class 0-' + (grid.rows - 1) : '')
        + ', seed ' + seed;
      const file = (c !== null ? 'class-' + c : 'all') + '-seed-' + seed;
      return await picture(grid, scale, {img: 'gen-image', time: 'gen-time', download: 'download'}, what, file);
    } catch (e) {
      show(e.message);
      return false;
    } finally {
      $('generate').disabled = false;
    }
  }

  function resetSliders(render) {
    if (!session) return;
    let seed;
    try {
      seed = integer('seed', 'seed');
    } catch (e) {
      show(e.message);
      return;
    }
    const k = Math.min(SLIDERS, api.model.latentDim);
    const z = noise(1, new SplittableRandom(seed));
    const range = api.model.noise === 'uniform' ? [-1, 1] : [-3, 3];
    const box = $('sliders');
    box.textContent = '';
    for (let i = 0; i < k; i++) {
      const v = Math.round(z[i] * 1000) / 1000;
      const label = document.createElement('label');
      label.htmlFor = 'z' + i;
      label.textContent = 'z[' + i + ']';
      const input = document.createElement('input');
      input.type = 'range';
      input.id = 'z' + i;
      input.min = range[0];
      input.max = range[1];
      input.step = '0.01';
      input.value = v;
      const out = document.createElement('output');
      out.htmlFor = input.id;
      out.textContent = v.toFixed(2);
      input.addEventListener('input', () => {
        out.textContent = Number(input.value).toFixed(2);
        latentSoon();
      });
      box.append(label, input, out);
    }
    if (render) latentNow();
  }

  async function latentNow() {
    if (!session) return;
    const mine = ++latentSeq;
    try {
      const seed = integer('seed', 'seed');
      // The values the server would parse from the sliders (3 decimals), as float32.
      const zs = [...document.querySelectorAll('#sliders input')].map((s) => Number(Number(s.value).toFixed(3)));
      const c = cls();
      const grid = latentGrid(c, seed, zs);
      const what = 'seed ' + seed + clsWhat(c) + ', z[0..' + (zs.length - 1) + '] = [' + zs.join(', ') + ']';
      await picture(grid, 1, {img: 'latent-image', time: 'latent-time', download: 'latent-download'}, what,
        'latent-seed-' + seed, () => mine === latentSeq);
    } catch (e) {
      if (mine === latentSeq) show(e.message);
    }
  }

  let latentTimer = null;
  function latentSoon() {
    clearTimeout(latentTimer);
    latentTimer = setTimeout(latentNow, 150);
  }

  async function walk() {
    if (!session) return;
    show(null);
    try {
      const from = integer('walk-from', 'from seed');
      const to = integer('walk-to', 'to seed');
      const steps = Number(integer('walk-steps', 'steps', 2, MAX_WALK_STEPS));
      const c = cls();
      const grid = walkGrid(c, from, to, steps);
      const what = 'walk from seed ' + from + ' to seed ' + to + ' in ' + steps + ' steps' + clsWhat(c);
      await picture(grid, 1, {img: 'walk-image', time: 'walk-time', download: 'walk-download'}, what,
        'walk-' + from + '-' + to);
    } catch (e) {
      show(e.message);
    }
  }

  function fillClasses() {
    const sel = $('class');
    sel.textContent = '';
    const all = document.createElement('option');
    all.value = 'all';
    all.textContent = api.model.conditional ? 'all (one row each)' : 'all (unconditional model)';
    sel.appendChild(all);
    if (api.model.conditional) {
      for (let c = 0; c < api.model.classes; c++) {
        const o = document.createElement('option');
        o.value = String(c);
        o.textContent = String(c);
        sel.appendChild(o);
      }
    }
    updateHint();
  }

  function updateHint() {
    $('count-hint').textContent = api.model && api.model.conditional && cls() === null ? 'per class' : 'in all';
  }

  function wire() {
    $('gen-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      if (await generate()) resetSliders(true);
    });
    $('random-seed').addEventListener('click', async () => {
      $('seed').value = Math.floor(Math.random() * 1000000);
      if (await generate()) resetSliders(true);
    });
    $('class').addEventListener('change', () => {
      updateHint();
      generate();
      latentNow();
    });
    $('scale').addEventListener('change', () => generate());
    $('reset-sliders').addEventListener('click', () => resetSliders(true));
    $('walk-form').addEventListener('submit', (e) => {
      e.preventDefault();
      walk();
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Loading: the description, the runtime, the model; every failure is a sentence on the page.

  async function fetchOk(name, what) {
    let res;
    try {
      res = await fetch(name, {cache: 'no-cache'});
    } catch (e) {
      throw new Error('cannot read ' + name + ' (' + what + '): ' + e.message);
    }
    if (!res.ok) {
      let why = '';
      try {
        const body = await res.json(); // acgan serve explains its errors in JSON
        if (body && body.error) why = ': ' + body.error;
      } catch (e) { /* a static server's page */ }
      throw new Error(name.split('?')[0] + ' (' + what + ') is missing: the server answered ' + res.status
        + (res.statusText ? ' ' + res.statusText : '') + why
        + '. Export the directory again (acgan export --format web).');
    }
    return res;
  }

  /** export.json: what the model takes and gives. */
  async function loadDescription() {
    // The page's query goes along: a static server ignores it; acgan serve's /browser/ reads ?source= from it.
    const res = await fetchOk(DESCRIPTION + location.search, 'the description of the model');
    let d;
    try {
      d = await res.json();
    } catch (e) {
      throw new Error(DESCRIPTION + ' is damaged: not JSON (' + e.message + ')');
    }
    const noiseIn = (d.inputs || []).find((v) => v.name === 'noise');
    const imageOut = (d.outputs || []).find((v) => v.name === 'image');
    if (d.network !== 'generator' || !noiseIn || !imageOut || !Array.isArray(noiseIn.shape)
      || !Array.isArray(imageOut.shape)) {
      throw new Error(DESCRIPTION + ' does not describe a generator (expected inputs noise [N, latent] and output '
        + 'image [N, height, width, channels])');
    }
    return {
      preset: String(d.preset),
      kind: String(d.kind),
      classes: Number(d.classes),
      conditional: (d.inputs || []).some((v) => v.name === 'label'),
      latentDim: Number(noiseIn.shape[1]),
      noise: String(noiseIn.distribution || 'uniform'),
      image: {height: imageOut.shape[1], width: imageOut.shape[2], channels: imageOut.shape[3]},
      step: d.step,
      trainedWith: d.trainedWith,
      exportedBy: d.exportedBy,
    };
  }

  /** onnxruntime-web's WebAssembly build: its ES module, then its .wasm (fetched here, so any MIME type works). */
  async function loadRuntime() {
    const moduleUrl = new URL(RUNTIME, location.href).href;
    let mod;
    try {
      mod = await import(moduleUrl);
    } catch (first) {
      // A server that sends .mjs with a non-JavaScript type: load the same file's text as a module.
      const res = await fetchOk(RUNTIME, 'onnxruntime-web');
      const blob = new Blob([await res.text()], {type: 'text/javascript'});
      const blobUrl = URL.createObjectURL(blob);
      try {
        mod = await import(blobUrl);
      } catch (e) {
        throw new Error('cannot start onnxruntime-web (' + RUNTIME + '): ' + first.message + '; ' + e.message);
      } finally {
        URL.revokeObjectURL(blobUrl);
      }
    }
    const wasm = await fetchOk(WASM, 'onnxruntime-web\'s WebAssembly');
    const env = mod.env;
    // One thread: several need SharedArrayBuffer, which browsers give only to cross-origin isolated pages
    // (special COOP/COEP headers that a plain static server does not send).
    env.wasm.numThreads = 1;
    env.wasm.proxy = false;
    env.wasm.wasmBinary = new Uint8Array(await wasm.arrayBuffer());
    env.logLevel = 'error';
    return mod;
  }

  async function loadModel() {
    const res = await fetchOk(MODEL + location.search, 'the generator');
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length === 0) throw new Error(MODEL + ' is damaged: the file is empty');
    let s;
    try {
      s = await ort.InferenceSession.create(bytes, {executionProviders: ['wasm'], graphOptimizationLevel: 'all'});
    } catch (e) {
      const why = String(e && e.message ? e.message : e).split('\n')[0];
      if (/no available backend/i.test(why)) throw new Error('onnxruntime-web could not start here: ' + why);
      throw new Error(MODEL + ' is damaged or not an ONNX model (' + bytes.length + ' bytes): ' + why);
    }
    const want = api.model.conditional ? ['label', 'noise'] : ['noise'];
    const has = [...s.inputNames].sort();
    if (has.join() !== want.join() || !s.outputNames.includes('image')) {
      throw new Error(MODEL + ' does not match ' + DESCRIPTION + ': inputs [' + has.join(', ') + '] and outputs ['
        + s.outputNames.join(', ') + '], expected inputs [' + want.join(', ') + '] and output image');
    }
    api.modelBytes = bytes.length;
    return s;
  }

  function fail(message) {
    $('model-info').dataset.state = 'error';
    $('model-info').textContent = 'No generator: ' + message;
    show(message);
  }

  async function init() {
    if (location.protocol === 'file:') {
      fail('this page was opened from a file; browsers do not let such a page read ' + MODEL + ' beside it. Serve '
        + 'this directory with any static file server (e.g. python3 -m http.server) and open its address.');
      return;
    }
    const t0 = performance.now();
    try {
      api.model = await loadDescription();
      ort = await loadRuntime();
      session = await loadModel();
    } catch (e) {
      fail(e.message);
      return;
    }
    const ms = Math.round(performance.now() - t0);
    const m = api.model;
    api.runtime = 'onnxruntime-web ' + ((ort.env.versions && ort.env.versions.web) || '') + ' (wasm, 1 thread)';
    $('runtime-info').textContent = 'no server: runs in this page on ' + api.runtime;
    $('model-info').dataset.state = 'loaded';
    $('model-info').textContent = m.preset + ' · ' + m.kind + ' · ' + m.image.width + '×' + m.image.height + '×'
      + m.image.channels + ' · ' + m.classes + ' class' + (m.classes === 1 ? '' : 'es') + ' · latent ' + m.latentDim
      + ' (' + m.noise + ') · step ' + m.step + ' · trained with ' + m.trainedWith + ' · ' + MODEL + ' ('
      + (api.modelBytes / 1048576).toFixed(1) + ' MiB) loaded in ' + ms + ' ms';
    fillClasses();
    wire();
    for (const id of ['generate', 'interpolate', 'reset-sliders']) $(id).disabled = false;
    api.ready = true;
    if (await generate()) resetSliders(true);
    await walk();
  }

  init();
  return api;
})();
