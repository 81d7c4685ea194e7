'use strict';
// A small line chart on a <canvas> against the step. Points are [step, y1, y2, ...]; by default two series,
// the D and G losses. Options: colors (one per series), empty (text before the first point), yMin/yMax (a
// fixed range), markers (dots at every point, for sparse series).
class LossChart {
  static MAX_POINTS = 40000;

  constructor(canvas, options = {}) {
    this.canvas = canvas;
    this.points = [];
    this.pending = false;
    this.series = options.colors || ['#e0663a', '#2f6fed'];
    this.empty = options.empty || 'The losses appear here once the training runs.';
    this.yMin = options.yMin;
    this.yMax = options.yMax;
    this.markers = !!options.markers;
    this.colors = {grid: '#e6e9ef', axis: '#8a93a6', text: '#667085'};
    window.addEventListener('resize', () => this.redraw());
    this.redraw();
  }

  /** Replaces all points. */
  set(points) {
    this.points = points.slice();
    this.redraw();
  }

  /** Adds points at the end; a very long curve is thinned (neighbours averaged) to stay light. */
  append(points) {
    for (const p of points) this.points.push(p);
    if (this.points.length > LossChart.MAX_POINTS) this.points = LossChart.bucket(this.points, LossChart.MAX_POINTS / 2);
    this.redraw();
  }

  /** Draws at the next animation frame (at most once per frame). */
  redraw() {
    this.canvas.dataset.points = String(this.points.length);
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  draw() {
    const c = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(200, c.clientWidth), h = Math.max(150, c.clientHeight);
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = '12px system-ui, sans-serif';
    const m = {left: 52, right: 14, top: 12, bottom: 34};
    const pw = w - m.left - m.right, ph = h - m.top - m.bottom;
    const pts = this.points;
    if (pts.length === 0) {
      ctx.fillStyle = this.colors.text;
      ctx.textAlign = 'center';
      ctx.fillText(this.empty, m.left + pw / 2, m.top + ph / 2);
      return;
    }
    let x0 = pts[0][0], x1 = pts[pts.length - 1][0];
    if (x1 <= x0) x1 = x0 + 1;
    let y0 = Infinity, y1 = -Infinity;
    for (const p of pts) {
      for (const v of p.slice(1)) {
        if (v !== null && isFinite(v)) {
          if (v < y0) y0 = v;
          if (v > y1) y1 = v;
        }
      }
    }
    if (!isFinite(y0)) { y0 = 0; y1 = 1; }
    if (this.yMin !== undefined) y0 = this.yMin;
    if (this.yMax !== undefined) y1 = this.yMax;
    if (y1 - y0 < 1e-6) { y0 -= 0.5; y1 += 0.5; }
    const ticksY = LossChart.ticks(y0, y1, 5);
    y0 = Math.min(y0, ticksY[0]);
    y1 = Math.max(y1, ticksY[ticksY.length - 1]);
    const X = (s) => m.left + (s - x0) / (x1 - x0) * pw;
    const Y = (v) => m.top + (1 - (v - y0) / (y1 - y0)) * ph;

    ctx.strokeStyle = this.colors.grid;
    ctx.lineWidth = 1;
    ctx.fillStyle = this.colors.text;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of ticksY) {
      const y = Math.round(Y(t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(m.left, y); ctx.lineTo(m.left + pw, y); ctx.stroke();
      ctx.fillText(LossChart.label(t), m.left - 6, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of LossChart.ticks(x0, x1, 6, true)) {
      if (t < x0 || t > x1) continue;
      const x = Math.round(X(t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, m.top); ctx.lineTo(x, m.top + ph); ctx.stroke();
      ctx.fillText(LossChart.label(t), x, m.top + ph + 6);
    }
    ctx.fillText('step', m.left + pw / 2, m.top + ph + 20);
    ctx.strokeStyle = this.colors.axis;
    ctx.beginPath(); ctx.moveTo(m.left + 0.5, m.top); ctx.lineTo(m.left + 0.5, m.top + ph);
    ctx.lineTo(m.left + pw, m.top + ph + 0.5); ctx.stroke();

    // At most about two points per pixel column: means of buckets.
    const series = LossChart.bucket(pts, Math.max(1, Math.floor(pw * 2)));
    ctx.save();
    ctx.beginPath(); ctx.rect(m.left, m.top, pw, ph); ctx.clip();
    ctx.lineJoin = 'round';
    ctx.lineWidth = 1.6;
    this.series.forEach((color, i) => {
      const idx = i + 1;
      const shown = series.filter((p) => p[idx] !== null && isFinite(p[idx]));
      ctx.strokeStyle = color;
      ctx.beginPath();
      shown.forEach((p, j) => { if (j === 0) ctx.moveTo(X(p[0]), Y(p[idx])); else ctx.lineTo(X(p[0]), Y(p[idx])); });
      ctx.stroke();
      if (shown.length === 1 || this.markers) {
        ctx.fillStyle = color;
        for (const p of shown) { ctx.beginPath(); ctx.arc(X(p[0]), Y(p[idx]), 3, 0, 2 * Math.PI); ctx.fill(); }
      }
    });
    ctx.restore();
  }

  static bucket(pts, max) {
    if (pts.length <= max) return pts;
    const out = [];
    const size = pts.length / max;
    for (let b = 0; b < max; b++) {
      const from = Math.floor(b * size), to = Math.max(from + 1, Math.floor((b + 1) * size));
      const sum = new Array(pts[0].length).fill(0);
      let n = 0;
      for (let i = from; i < to && i < pts.length; i++) {
        for (let k = 0; k < sum.length; k++) sum[k] += pts[i][k];
        n++;
      }
      if (n > 0) out.push(sum.map((v) => v / n));
    }
    return out;
  }

  static ticks(lo, hi, n, whole) {
    const span = hi - lo;
    const raw = span / Math.max(1, n);
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    let step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => span / s <= n) || 10 * mag;
    if (whole) step = Math.max(1, Math.round(step));
    const out = [];
    for (let t = Math.floor(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
    if (out.length === 0 || out[out.length - 1] < hi) out.push(Number((out.length ? out[out.length - 1] + step : hi).toPrecision(12)));
    return out;
  }

  static label(v) {
    if (Math.abs(v) >= 1000) return (v / 1000).toFixed(v % 1000 === 0 ? 0 : 1) + 'k';
    return Number(v.toPrecision(3)).toString();
  }
}
