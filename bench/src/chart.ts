// A small hand-written SVG: bars for medians, whiskers for min–max. Two panels, throughput and latency.
type Figure = { median: number; min: number; max: number };
type ChartInput = { mode: string; startedAt: string; figures: Record<string, Figure> };

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

function panel(title: string, unit: string, rows: Array<[string, Figure]>, top: number): string {
  const left = 250;
  const width = 480;
  const rowHeight = 22;
  const scale = Math.max(1, ...rows.map(([, f]) => f.max));
  const x = (value: number) => left + (value / scale) * width;
  const parts = [`<text x="10" y="${top}" font-weight="bold">${escape(title)} (${unit}; bar = median, line = min–max)</text>`];
  rows.forEach(([label, f], i) => {
    const y = top + 12 + i * rowHeight;
    parts.push(
      `<text x="${left - 6}" y="${y + 13}" text-anchor="end">${escape(label)}</text>`,
      `<rect x="${left}" y="${y + 2}" width="${Math.max(1, x(f.median) - left).toFixed(1)}" height="14" fill="${label.startsWith("ingest") || label.startsWith("worker") || label.startsWith("e2e") ? "#d9480f" : "#868e96"}"/>`,
      `<line x1="${x(f.min).toFixed(1)}" x2="${x(f.max).toFixed(1)}" y1="${y + 9}" y2="${y + 9}" stroke="#000" stroke-width="1.5"/>`,
      `<text x="${(x(f.max) + 6).toFixed(1)}" y="${y + 13}">${f.median >= 100 ? f.median.toFixed(0) : f.median.toFixed(1)}</text>`,
    );
  });
  return parts.join("\n");
}

export function renderChart(report: ChartInput): string {
  const pick = (keys: Array<[string, string]>) =>
    keys.filter(([key]) => report.figures[key]).map(([key, label]) => [label, report.figures[key]!] as [string, Figure]);
  const throughput = pick([
    ["nodeHttp.rps", "node:http hello"],
    ["fastifyHello.rps", "fastify hello"],
    ["echo.rps", "raw-body echo route"],
    ["stripped.rps", "verify+parse+queue.add"],
    ["ingest.rps", "ingest acks"],
    ["noopWorker.rps", "no-op BullMQ worker"],
    ["sqlWorker.rps", "raw SQL worker"],
    ["worker.rps", "worker applied"],
    ["e2e.committedPerSecond", "e2e committed"],
    ["worker.oneDestination.rps", "worker applied, 1 destination"],
    ["messages.oneDestination.rps", "messages sent, 1 destination"],
    ["messages.8Destinations.rps", "messages sent, 8 destinations"],
  ]);
  const latency = pick([
    ["echo.p99AtHalfEcho", "echo p99 @ ½ echo max"],
    ["ingest.p99AtHalfEcho", "ingest p99 @ ½ echo max"],
    ["ingest.p50At90", "ingest p50 @ 90% own max"],
    ["ingest.p99At90", "ingest p99 @ 90% own max"],
    ["ingest.p999At90", "ingest p99.9 @ 90% own max"],
    ["ingest.p99AtMax", "ingest p99 at max (closed loop)"],
  ]);
  const height = 60 + throughput.length * 22 + 50 + latency.length * 22 + 20;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="820" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="18" font-size="14">Hookloop bench (${escape(report.mode)}) ${escape(report.startedAt)}</text>`,
    panel("Throughput", "per second", throughput, 44),
    panel("Latency", "ms", latency, 44 + throughput.length * 22 + 40),
    `</svg>`,
    "",
  ].join("\n");
}
