'use strict';
// The Generate page: samples of a class (or all), latent sliders, an interpolation strip.
(() => {
  const $ = (id) => document.getElementById(id);
  const errorBox = $('error');
  const SLIDERS = 5;
  const urls = {};
  let model = null;
  let latentSeq = 0;

  const source = () => $('source').value;
  const cls = () => $('class').value;

  async function init() {
    let info;
    try {
      info = await acgan.json('/api/info');
    } catch (e) {
      acgan.show(errorBox, e.message);
      return;
    }
    $('server-info').textContent = 'generator backend ' + info.defaultBackend + ' · acgan ' + info.version;
    const sel = $('source');
    for (const s of info.sources) {
      const o = document.createElement('option');
      o.value = s;
      o.textContent = s === 'checkpoint' ? 'Checkpoint ' + info.checkpoint
        : 'Newest checkpoint of the training in this server';
      sel.appendChild(o);
    }
    const wanted = new URLSearchParams(location.search).get('source');
    if (wanted && info.sources.includes(wanted)) sel.value = wanted;
    $('count').max = info.limits.maxImages;
    wire();
    await loadModel(true);
  }

  function wire() {
    $('source').addEventListener('change', () => loadModel(true));
    $('reload').addEventListener('click', () => loadModel(true));
    $('gen-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      if (await generate()) await resetSliders(true);
    });
    $('random-seed').addEventListener('click', async () => {
      $('seed').value = Math.floor(Math.random() * 1000000);
      if (await generate()) await resetSliders(true);
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

  function setEnabled(on) {
    for (const id of ['generate', 'random-seed', 'interpolate', 'reset-sliders']) $(id).disabled = !on;
  }

  async function loadModel(thenGenerate) {
    acgan.show(errorBox, null);
    $('browser-link').href = '/browser/?' + acgan.qs({source: source()});
    try {
      model = await acgan.json('/api/model?' + acgan.qs({source: source()}));
    } catch (e) {
      model = null;
      $('model-info').textContent = 'No generator here yet: ' + e.message;
      $('model-info').dataset.state = 'missing';
      setEnabled(false);
      return;
    }
    setEnabled(true);
    const m = model;
    $('model-info').dataset.state = 'loaded';
    $('model-info').textContent = m.model + ' · ' + m.kind + ' · ' + m.image.width + '×' + m.image.height + '×'
      + m.image.channels + ' · ' + m.classes + ' class' + (m.classes === 1 ? '' : 'es') + ' · latent '
      + m.latentDim + ' (' + m.noise + ') · step ' + m.step + ' · ' + m.checkpoint + ' · on ' + m.backend;
    fillClasses();
    if (thenGenerate) {
      const ok = await generate();
      if (ok) await resetSliders(true);
      await walk();
    }
  }

  function fillClasses() {
    const sel = $('class');
    const before = sel.value;
    sel.textContent = '';
    const all = document.createElement('option');
    all.value = 'all';
    all.textContent = model.conditional ? 'all (one row each)' : 'all (unconditional model)';
    sel.appendChild(all);
    if (model.conditional) {
      for (let c = 0; c < model.classes; c++) {
        const o = document.createElement('option');
        o.value = String(c);
        o.textContent = String(c);
        sel.appendChild(o);
      }
    }
    sel.value = [...sel.options].some((o) => o.value === before) ? before : 'all';
    updateHint();
  }

  function updateHint() {
    $('count-hint').textContent = model && model.conditional && cls() === 'all' ? 'per class' : 'in all';
  }

  /** Fetches a picture into an <img>; shows the time and offers it as a download. */
  async function picture(url, ids, isCurrent) {
    const res = await fetch(url);
    if (!res.ok) throw await acgan.errorOf(res);
    const blob = await res.blob();
    if (isCurrent && !isCurrent()) return false;
    const objUrl = URL.createObjectURL(blob);
    const img = $(ids.img);
    await new Promise((resolve, reject) => {
      img.onload = resolve;
      img.onerror = () => reject(new Error('the browser could not show the picture'));
      img.src = objUrl;
    });
    if (urls[ids.img]) URL.revokeObjectURL(urls[ids.img]);
    urls[ids.img] = objUrl;
    img.hidden = false;
    if (img.classList.contains('zoom')) {
      const zoom = Math.max(1, Math.min(8, Math.floor(560 / img.naturalWidth)));
      img.style.width = (img.naturalWidth * zoom) + 'px';
    }
    const ms = Number(res.headers.get('X-Generate-Millis'));
    const load = Number(res.headers.get('X-Load-Millis'));
    const n = Number(res.headers.get('X-Images'));
    const label = $(ids.time);
    label.textContent = n + ' image' + (n === 1 ? '' : 's') + ' in ' + ms + ' ms'
      + (load > 0 ? ' (generator loaded in ' + load + ' ms)' : '') + ' · ' + res.headers.get('X-Description')
      + ' · step ' + res.headers.get('X-Model-Step');
    label.dataset.ms = String(ms);
    const a = $(ids.download);
    a.href = objUrl;
    a.download = acgan.fileName(res, 'acgan.png');
    a.hidden = false;
    return true;
  }

  async function generate() {
    if (!model) return false;
    acgan.show(errorBox, null);
    const url = '/api/generate.png?' + acgan.qs({
      source: source(), class: cls(), count: $('count').value, seed: $('seed').value, scale: $('scale').value,
    });
    $('generate').disabled = true;
    try {
      return await picture(url, {img: 'gen-image', time: 'gen-time', download: 'download'});
    } catch (e) {
      acgan.show(errorBox, e.message);
      return false;
    } finally {
      $('generate').disabled = false;
    }
  }

  async function resetSliders(render) {
    if (!model) return;
    const k = Math.min(SLIDERS, model.latentDim);
    let noise;
    try {
      noise = await acgan.json('/api/noise?' + acgan.qs({source: source(), seed: $('seed').value, dims: k}));
    } catch (e) {
      acgan.show(errorBox, e.message);
      return;
    }
    const box = $('sliders');
    box.textContent = '';
    noise.values.forEach((v, i) => {
      const label = document.createElement('label');
      label.htmlFor = 'z' + i;
      label.textContent = 'z[' + i + ']';
      const input = document.createElement('input');
      input.type = 'range';
      input.id = 'z' + i;
      input.min = noise.min;
      input.max = noise.max;
      input.step = '0.01';
      input.value = v;
      const out = document.createElement('output');
      out.htmlFor = input.id;
      out.textContent = Number(v).toFixed(2);
      input.addEventListener('input', () => {
        out.textContent = Number(input.value).toFixed(2);
        latentSoon();
      });
      box.append(label, input, out);
    });
    if (render) latentNow();
  }

  function zValues() {
    return [...document.querySelectorAll('#sliders input')].map((s) => Number(s.value).toFixed(3)).join(',');
  }

  async function latentNow() {
    if (!model) return;
    const mine = ++latentSeq;
    const url = '/api/latent.png?' + acgan.qs({
      source: source(), class: cls(), seed: $('seed').value, z: zValues(), scale: 1,
    });
    try {
      await picture(url, {img: 'latent-image', time: 'latent-time', download: 'latent-download'},
        () => mine === latentSeq);
    } catch (e) {
      if (mine === latentSeq) acgan.show(errorBox, e.message);
    }
  }
  const latentSoon = acgan.debounce(latentNow, 150);

  async function walk() {
    if (!model) return;
    acgan.show(errorBox, null);
    const url = '/api/interpolate.png?' + acgan.qs({
      source: source(), class: cls(), from: $('walk-from').value, to: $('walk-to').value,
      steps: $('walk-steps').value, scale: 1,
    });
    try {
      await picture(url, {img: 'walk-image', time: 'walk-time', download: 'walk-download'});
    } catch (e) {
      acgan.show(errorBox, e.message);
    }
  }

  init();
})();
