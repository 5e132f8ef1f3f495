// The live dashboard: reads the engine's server-sent events (/dashboard/events) and draws them.
// 'picture': a stream's latest picture with its shapes (boxes, and masks as COCO RLE).
// 'stats': every second, pipelines' history, streams' answers per second and latency, dead letters.
"use strict";

const cards = new Map();
// The alert rules' threshold (k8s/monitoring): above it the lag line turns red.
const LAG_WARNING = 1000;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === "class") node.className = value; else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// One colour per label, the same on every picture.
function colour(label, alpha) {
  let hash = 0;
  for (const c of label) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `hsla(${hash % 360}, 85%, 58%, ${alpha})`;
}

function sparkline(values, { width = 120, height = 26, warn = false } = {}) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "spark" + (warn ? " warn" : ""));
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return svg;
  const max = Math.max(...present, 1e-9);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  let points = [];
  const flush = () => {
    if (points.length > 0) {
      const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
      line.setAttribute("points", points.join(" "));
      svg.append(line);
    }
    points = [];
  };
  values.forEach((v, i) => {
    if (v === null || v === undefined) { flush(); return; }
    points.push(`${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  });
  flush();
  return svg;
}

// A stream followed for a few seconds has nulls before its first second: its line starts there.
function known(values) {
  const first = values.findIndex((v) => v !== null && v !== undefined);
  return first < 0 ? [] : values.slice(first);
}

function last(values) {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && values[i] !== undefined) return values[i];
  return null;
}

function format(value, digits = 0, unit = "") {
  return value === null || value === undefined ? "–" : value.toFixed(digits) + unit;
}

function card(pipeline, stream) {
  const key = pipeline + "\u0000" + stream;
  let entry = cards.get(key);
  if (entry) return entry;
  document.getElementById("no-streams")?.remove();
  const canvas = el("canvas", { width: 320, height: 320 });
  const seq = el("span", { class: "seq" }, "#–");
  const found = el("div", { class: "found" }, "");
  const fps = el("span", { class: "value" }, "–");
  const latency = el("span", { class: "value" }, "–");
  const fpsSpark = el("span", {});
  const latencySpark = el("span", {});
  const node = el("div", { class: "stream-card", "data-pipeline": pipeline, "data-stream": stream, "data-seq": "-1", "data-shapes": "0", "data-pictures": "0" },
    el("div", { class: "title" },
      el("span", { class: "name" }, el("span", { class: "pipeline" }, pipeline), " · " + stream), seq),
    canvas, found,
    el("div", { class: "metric" }, "answers/s", fpsSpark, fps),
    el("div", { class: "metric" }, "latency", latencySpark, latency));
  const streams = document.getElementById("streams");
  const after = [...streams.children].find((other) => (other.dataset.pipeline + " " + other.dataset.stream) > (pipeline + " " + stream));
  streams.insertBefore(node, after || null);
  entry = { node, canvas, seq, found, fps, latency, fpsSpark, latencySpark, pictures: 0 };
  cards.set(key, entry);
  return entry;
}

// COCO uncompressed RLE: column-major runs, alternating 0s and 1s, starting with 0s.
function paintMask(overlay, width, height, runs, rgba) {
  const data = overlay.data;
  let position = 0;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i];
    if (i % 2 === 1) {
      for (let p = position; p < position + run; p++) {
        const x = Math.floor(p / height), y = p % height;
        const at = (y * width + x) * 4;
        data[at] = rgba[0]; data[at + 1] = rgba[1]; data[at + 2] = rgba[2]; data[at + 3] = rgba[3];
      }
    }
    position += run;
  }
}

function rgbaOf(label) {
  const probe = document.createElement("canvas").getContext("2d");
  probe.fillStyle = colour(label, 1);
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
  return [r, g, b, 110];
}

function drawPicture(picture) {
  const entry = card(picture.pipeline, picture.stream);
  // A browser that connects between two sends may get the latest picture twice.
  if (entry.node.dataset.seq === String(picture.seq)) return;
  const image = new Image();
  image.onload = () => {
    const { canvas } = entry;
    const w = picture.width, h = picture.height;
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    const g = canvas.getContext("2d");
    g.drawImage(image, 0, 0, w, h);
    const masked = picture.shapes.filter((s) => s.maskRuns);
    if (masked.length > 0) {
      const layer = document.createElement("canvas");
      layer.width = w; layer.height = h;
      const lg = layer.getContext("2d");
      const overlay = lg.createImageData(w, h);
      for (const shape of masked) paintMask(overlay, w, h, shape.maskRuns, rgbaOf(shape.label));
      lg.putImageData(overlay, 0, 0);
      g.drawImage(layer, 0, 0);
    }
    const line = Math.max(2, Math.round(w / 200));
    g.font = `${Math.max(11, Math.round(w / 28))}px system-ui, sans-serif`;
    g.textBaseline = "top";
    for (const shape of picture.shapes) {
      const [x0, y0, x1, y1] = shape.box;
      const x = x0 * w, y = y0 * h, bw = (x1 - x0) * w, bh = (y1 - y0) * h;
      g.lineWidth = line;
      g.strokeStyle = colour(shape.label, 1);
      g.strokeRect(x, y, bw, bh);
      const text = `${shape.label} ${(shape.score * 100).toFixed(0)}%`;
      const tw = g.measureText(text).width + 8, th = parseInt(g.font, 10) + 4;
      const ty = y - th >= 0 ? y - th : y;
      g.fillStyle = colour(shape.label, 0.85);
      g.fillRect(x - line / 2, ty, tw, th);
      g.fillStyle = "#0b0f14";
      g.fillText(text, x + 4 - line / 2, ty + 2);
    }
    entry.pictures++;
    entry.seq.textContent = "#" + picture.seq;
    const labels = picture.shapes.map((s) => s.label + (s.maskRuns ? " (mask)" : ""));
    entry.found.textContent = picture.shapes.length === 0 ? "nothing found" : `${picture.shapes.length} found: ${labels.join(", ")}`;
    Object.assign(entry.node.dataset, { seq: String(picture.seq), shapes: String(picture.shapes.length), masks: String(masked.length), pictures: String(entry.pictures) });
  };
  image.src = picture.image;
}

function showStats(stats) {
  document.getElementById("sampling").textContent = `at most ${stats.picturesPerSecond} pictures/s per stream`;
  const body = document.querySelector("#pipelines tbody");
  body.replaceChildren(...stats.pipelines.map((p) => {
    const cell = (values, digits, unit, warn) => el("td", {}, el("div", { class: "cell" }, sparkline(values, { warn }), el("span", { class: "num" }, format(last(values), digits, unit))));
    return el("tr", { "data-pipeline": p.name },
      el("td", {}, el("strong", {}, p.name)),
      cell(p.inPerSecond, 0), cell(p.outPerSecond, 0), cell(p.lag, 0, "", last(p.lag) > LAG_WARNING),
      cell(p.meanBatchSize, 1),
      el("td", {}, el("div", { class: "cell" }, sparkline(p.p99Millis), el("span", { class: "num" }, `${format(last(p.p50Millis), 0)} / ${format(last(p.p99Millis), 0)} ms`))),
      el("td", {}, format(last(p.inFlight), 0)),
      el("td", {}, format(p.totalDeadLetters, 0)));
  }));
  for (const s of stats.streams) {
    const entry = cards.get(s.pipeline + "\u0000" + s.stream);
    if (!entry) continue;
    entry.fpsSpark.replaceChildren(sparkline(known(s.answersPerSecond)));
    entry.latencySpark.replaceChildren(sparkline(known(s.latencyMillis)));
    entry.fps.textContent = format(last(s.answersPerSecond), 0, "/s");
    entry.latency.textContent = format(last(s.latencyMillis), 0, " ms");
  }
  const letters = document.querySelector("#dead-letters tbody");
  if (stats.deadLetters.length === 0) {
    letters.replaceChildren(el("tr", { class: "empty" }, el("td", { colspan: "7" }, "none")));
  } else {
    letters.replaceChildren(...stats.deadLetters.map((d) => el("tr", {},
      el("td", {}, new Date(d.at).toLocaleTimeString()), el("td", {}, d.pipeline), el("td", {}, d.key),
      el("td", {}, d.source), el("td", { class: "error" }, d.error), el("td", { class: "message", title: d.message }, d.message),
      el("td", {}, d.modelVersion || "–"))));
  }
}

function connect() {
  const status = document.getElementById("connection");
  const text = document.getElementById("connection-text");
  const events = new EventSource("events");
  events.onopen = () => { status.dataset.state = "open"; text.textContent = "live"; };
  events.onerror = () => { status.dataset.state = "closed"; text.textContent = "reconnecting…"; };
  events.addEventListener("picture", (e) => drawPicture(JSON.parse(e.data)));
  events.addEventListener("stats", (e) => showStats(JSON.parse(e.data)));
}

connect();
