'use strict';
// The Train page: start a training, follow it through server-sent events, pause, resume, stop.
(() => {
  const $ = (id) => document.getElementById(id);
  const errorBox = $('train-error');
  const chart = new LossChart($('loss-chart'));
  const quality = new LossChart($('quality-chart'), {colors: ['#1a9c5b'], yMin: 0, yMax: 100, markers: true,
    empty: 'Conditional accuracy appears at each evaluation (Evaluate every).'});
  const FIELDS = ['backend', 'model', 'dataset', 'epochs', 'steps', 'batchSize', 'learningRate', 'sampleEvery',
    'checkpointEvery', 'evalEvery', 'seed'];
  let runId = -1;

  async function init() {
    wire();
    try {
      const info = await acgan.json('/api/info');
      const b = $('backend');
      for (const be of info.backends) {
        const o = document.createElement('option');
        o.value = be.name;
        o.textContent = be.name + (be.name === info.defaultBackend ? ' (default)' : '');
        b.appendChild(o);
      }
      b.value = info.defaultBackend;
      const d = $('dataset');
      for (const ds of info.datasets) {
        const o = document.createElement('option');
        o.value = ds.name;
        o.textContent = ds.name + (ds.available ? '' : ' (not installed)');
        o.disabled = !ds.available;
        d.appendChild(o);
      }
      d.value = 'mnist';
      $('outdir').textContent = info.outdir;
      for (const [k, v] of Object.entries(info.trainDefaults || {})) {
        if ($(k) && $(k).tagName === 'INPUT') $(k).value = String(v);
      }
    } catch (e) {
      acgan.show(errorBox, e.message);
    }
    connect();
  }

  function wire() {
    $('train-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = {};
      for (const f of FIELDS) body[f] = $(f).value.trim();
      await act('/api/train/start', body);
    });
    $('pause').addEventListener('click', () => act('/api/train/pause'));
    $('resume').addEventListener('click', () => act('/api/train/resume'));
    $('stop').addEventListener('click', () => act('/api/train/stop'));
  }

  async function act(url, body) {
    try {
      const s = await acgan.post(url, body);
      acgan.show(errorBox, null);
      delete errorBox.dataset.status;
      apply(s);
    } catch (e) {
      acgan.show(errorBox, e.message);
      errorBox.dataset.status = String(e.status || '');
    }
  }

  function connect() {
    const es = new EventSource('/api/train/events');
    const conn = $('conn');
    es.onopen = () => { conn.dataset.conn = 'open'; conn.textContent = 'live'; };
    es.onerror = () => { conn.dataset.conn = 'lost'; conn.textContent = 'reconnecting…'; };
    es.addEventListener('snapshot', (e) => {
      const s = JSON.parse(e.data);
      runId = s.runId;
      chart.set(s.points || []);
      quality.set(accuracyPoints(s.quality || []));
      if (s.gridStep >= 0) showGrid(s.runId, s.gridStep); else clearGrid();
      update(s);
    });
    es.addEventListener('state', (e) => apply(JSON.parse(e.data)));
    es.addEventListener('progress', (e) => {
      const s = JSON.parse(e.data);
      if (apply(s)) {
        chart.append(s.newPoints || []);
        if ((s.newQuality || []).length) quality.append(accuracyPoints(s.newQuality));
      }
    });
    es.addEventListener('grid', (e) => {
      const g = JSON.parse(e.data);
      if (g.runId === runId) showGrid(g.runId, g.step);
    });
    es.addEventListener('checkpoint', (e) => {
      const c = JSON.parse(e.data);
      if (c.runId === runId) setCheckpoint(c.step);
    });
  }

  /** Applies a state of the current run; false for an older run's. */
  function apply(s) {
    if (s.runId < runId) return false;
    if (s.runId !== runId) {
      runId = s.runId;
      chart.set([]);
      quality.set([]);
      clearGrid();
    }
    update(s);
    return true;
  }

  function update(s) {
    const st = $('state');
    st.textContent = s.state;
    st.dataset.state = s.state;
    document.body.dataset.state = s.state;
    $('run-message').textContent = s.message || (s.state === 'idle' ? 'No training yet.'
      : s.state === 'running' ? 'Training ' + (s.model || '') + ' on ' + (s.dataset || '') + '.' : '');
    if (s.state === 'idle') {
      setButtons(s.state, -1);
      return;
    }
    const total = s.totalSteps || 0;
    $('progress').max = Math.max(1, total);
    $('progress').value = Math.min(s.step || 0, Math.max(1, total));
    $('step-label').textContent = 'step ' + (s.step || 0) + ' / ' + (total || '?');
    $('epoch').textContent = s.epochs ? s.epoch + ' / ' + s.epochs : '–';
    $('eta').textContent = s.active && s.etaSeconds !== null ? acgan.duration(s.etaSeconds) : '–';
    $('ips').textContent = s.imagesPerSecond ? Math.round(s.imagesPerSecond).toLocaleString('en-US') : '–';
    $('elapsed').textContent = acgan.duration(s.elapsedSeconds);
    const last = chart.points[chart.points.length - 1];
    $('last-loss').textContent = last ? last[1].toFixed(3) + ' / ' + last[2].toFixed(3) : '–';
    const q = s.lastQuality;
    $('last-quality').textContent = q ? (q[1] === null ? '–' : q[1].toFixed(1) + '%') + ' / ' + q[2].toFixed(1) : '–';
    $('grid-note').textContent = s.options && s.options.model === 'gan' ? '10×10 samples, fixed noise'
      : 'one row per class, fixed noise';
    $('run-dir').textContent = s.dir || '–';
    $('run-dir').title = s.dir || '';
    setCheckpoint(s.checkpointStep);
    setButtons(s.state, s.checkpointStep);
  }

  /** Quality rows [step, accuracy %, FID] as chart points [step, accuracy %]. */
  function accuracyPoints(rows) {
    return rows.filter((r) => r[1] !== null).map((r) => [r[0], r[1]]);
  }

  function setButtons(state, ckpt) {
    $('pause').disabled = state !== 'running';
    $('resume').disabled = state !== 'paused';
    $('stop').disabled = !['starting', 'running', 'paused'].includes(state);
    $('download-ckpt').setAttribute('aria-disabled', ckpt >= 0 ? 'false' : 'true');
    $('open-generate').setAttribute('aria-disabled', ckpt >= 0 ? 'false' : 'true');
  }

  function setCheckpoint(step) {
    $('ckpt-step').textContent = step >= 0 ? 'step ' + step : '–';
    $('download-ckpt').setAttribute('aria-disabled', step >= 0 ? 'false' : 'true');
    $('download-ckpt').href = '/api/train/checkpoint.zip?run=' + runId;
    $('open-generate').setAttribute('aria-disabled', step >= 0 ? 'false' : 'true');
  }

  function showGrid(run, step) {
    const img = $('grid');
    img.src = '/api/train/grid.png?run=' + run + '&step=' + step;
    img.dataset.step = String(step);
    img.hidden = false;
    $('grid-empty').hidden = true;
    $('grid-step').textContent = '· step ' + step;
  }

  function clearGrid() {
    const img = $('grid');
    img.hidden = true;
    img.removeAttribute('src');
    delete img.dataset.step;
    $('grid-empty').hidden = false;
    $('grid-step').textContent = '';
  }

  init();
})();
