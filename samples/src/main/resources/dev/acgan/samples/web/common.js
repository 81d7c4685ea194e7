'use strict';
// Shared helpers of the acgan pages: requests that turn the server's JSON errors into messages.

const acgan = {
  /** Query string of an object, skipping undefined values. */
  qs(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null) q.set(k, String(v));
    }
    return q.toString();
  },

  /** The error message of a failed answer: the JSON {"error": ...} when there is one. */
  async errorOf(res) {
    let msg = res.status + ' ' + res.statusText;
    try {
      const body = await res.json();
      if (body && body.error) msg = body.error;
    } catch (e) { /* not JSON */ }
    const err = new Error(msg);
    err.status = res.status;
    return err;
  },

  /** GET or POST JSON; throws an Error with the server's message on failure. */
  async json(url, options) {
    const res = await fetch(url, options);
    if (!res.ok) throw await acgan.errorOf(res);
    return res.json();
  },

  /** POST a JSON body. */
  post(url, body) {
    return acgan.json(url, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(body || {}),
    });
  },

  /** Shows (or with null hides) a message in an alert element. */
  show(el, msg) {
    if (msg) {
      el.textContent = msg;
      el.hidden = false;
    } else {
      el.textContent = '';
      el.hidden = true;
    }
  },

  /** A function that runs fn after ms of quiet. */
  debounce(fn, ms) {
    let t = null;
    return (...args) => {
      clearTimeout(t);
      t = setTimeout(() => fn(...args), ms);
    };
  },

  /** 75 -> "1m15s". */
  duration(seconds) {
    if (seconds === null || seconds === undefined || !isFinite(seconds)) return '–';
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    if (h > 0) return h + 'h' + String(m).padStart(2, '0') + 'm';
    if (m > 0) return m + 'm' + String(r).padStart(2, '0') + 's';
    return r + 's';
  },

  /** The file name of a Content-Disposition header. */
  fileName(res, fallback) {
    const cd = res.headers.get('Content-Disposition') || '';
    const m = /filename="([^"]+)"/.exec(cd);
    return m ? m[1] : fallback;
  },
};
