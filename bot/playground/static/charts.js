// Slack's data_visualization and table blocks, drawn by the playground as inline SVG and
// HTML (no library, no download). Labels arrive escaped by the bot, as in mrkdwn.
"use strict";

const CHART_COLOURS = ["#1264a3", "#e8912d", "#2bac76", "#e01e5a", "#6b4ea8", "#36c5f0"];

// Keep the bot's entities (&lt; &amp;), escape anything else that could become markup.
function svgText(text) {
  return String(text ?? "").replace(/&(?!(amp|lt|gt|quot|#\d+);)/g, "&amp;")
    .replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function legend(names, y) {
  return names.map((name, i) => `<g transform="translate(${50 + i * 105},${y})">
    <rect width="10" height="10" fill="${CHART_COLOURS[i % 6]}"></rect>
    <text x="14" y="9" font-size="10">${svgText(name)}</text></g>`).join("");
}

function pieSvg(chart, width) {
  const segments = chart.segments || [];
  const total = segments.reduce((sum, s) => sum + s.value, 0) || 1;
  let angle = -Math.PI / 2;
  const cx = 90, cy = 90, r = 75;
  const slices = segments.map((s, i) => {
    const sweep = (s.value / total) * Math.PI * 2;
    const x1 = cx + r * Math.cos(angle), y1 = cy + r * Math.sin(angle);
    angle += sweep;
    const x2 = cx + r * Math.cos(angle), y2 = cy + r * Math.sin(angle);
    const large = sweep > Math.PI ? 1 : 0;
    const path = segments.length === 1 ? `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${CHART_COLOURS[0]}"></circle>`
      : `<path d="M${cx},${cy} L${x1},${y1} A${r},${r} 0 ${large} 1 ${x2},${y2} Z" fill="${CHART_COLOURS[i % 6]}"></path>`;
    return path + `<text x="190" y="${30 + i * 18}" font-size="11"><tspan fill="${CHART_COLOURS[i % 6]}">■</tspan> ${svgText(s.label)}: ${s.value}</text>`;
  }).join("");
  return `<svg class="chart" viewBox="0 0 ${width} 185" width="${width}" height="185" role="img">${slices}</svg>`;
}

function seriesSvg(chart, width) {
  const categories = (chart.axis_config || {}).categories || [];
  const series = chart.series || [];
  const values = series.flatMap((s) => s.data.map((p) => p.value));
  const top = Math.max(1, ...values);
  const left = 40, right = width - 10, plotTop = 10, bottom = 150;
  const step = (right - left) / Math.max(1, categories.length);
  const y = (v) => bottom - (v / top) * (bottom - plotTop);
  const x = (i) => left + step * (i + 0.5);
  let marks = "";
  series.forEach((s, si) => {
    const colour = CHART_COLOURS[si % 6];
    if (chart.type === "bar") {
      const bw = (step * 0.8) / series.length;
      marks += s.data.map((p, i) => `<rect x="${x(i) - step * 0.4 + si * bw}" y="${y(p.value)}" width="${bw}" height="${bottom - y(p.value)}" fill="${colour}"><title>${svgText(s.name)} ${svgText(p.label)}: ${p.value}</title></rect>`).join("");
    } else {
      const points = s.data.map((p, i) => `${x(i)},${y(p.value)}`).join(" ");
      if (chart.type === "area") marks += `<polygon points="${x(0)},${bottom} ${points} ${x(s.data.length - 1)},${bottom}" fill="${colour}" opacity=".25"></polygon>`;
      marks += `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"></polyline>`;
      marks += s.data.map((p, i) => `<circle cx="${x(i)}" cy="${y(p.value)}" r="2.5" fill="${colour}"><title>${svgText(s.name)} ${svgText(p.label)}: ${p.value}</title></circle>`).join("");
    }
  });
  const labels = categories.map((c, i) => `<text x="${x(i)}" y="${bottom + 12}" font-size="9" text-anchor="end" transform="rotate(-35 ${x(i)} ${bottom + 12})">${svgText(c)}</text>`).join("");
  const axis = `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#999"></line>
    <line x1="${left}" y1="${plotTop}" x2="${left}" y2="${bottom}" stroke="#999"></line>
    <text x="${left - 4}" y="${plotTop + 8}" font-size="9" text-anchor="end">${Math.round(top * 10) / 10}</text>
    <text x="${left - 4}" y="${bottom}" font-size="9" text-anchor="end">0</text>`;
  const yLabel = (chart.axis_config || {}).y_label;
  return `<svg class="chart" viewBox="0 0 ${width} 235" width="${width}" height="235" role="img">${axis}${marks}${labels}
    ${legend(series.map((s) => s.name), 215)}${yLabel ? `<text x="${left}" y="${plotTop - 1}" font-size="9" fill="#666">${svgText(yLabel)}</text>` : ""}</svg>`;
}

function chartBlock(b) {
  const chart = b.chart || {};
  const width = 560;
  const svg = chart.type === "pie" ? pieSvg(chart, width) : seriesSvg(chart, width);
  return `<figure class="block chart-block" data-chart="${svgText(chart.type)}"><figcaption>${svgText(b.title)}</figcaption>${svg}</figure>`;
}

function tableBlock(b) {
  const rows = (b.rows || []).map((row) => `<tr>${row.map((cell) =>
    `<td>${svgText(cell.text ?? "")}</td>`).join("")}</tr>`).join("");
  return `<table class="block table-block">${rows}</table>`;
}
