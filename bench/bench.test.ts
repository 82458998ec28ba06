import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

describe("the bench harness in smoke mode", () => {
  it("runs every pair and reports every figure and target", async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), "hookloop-bench-"));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "bench/src/main.ts", "--smoke"], {
        cwd: root,
        env: { ...process.env, BENCH_OUT_DIR: outDir },
        timeout: 150_000,
      });
      const report = JSON.parse(readFileSync(path.join(outDir, "smoke.json"), "utf8"));
      const keys = [
        "ratio.rig",
        "ratio.ingestVsEcho",
        "ratio.ingestVsStripped",
        "ratio.p99",
        "ingest.p999At90",
        "ratio.worker",
        "ratio.e2e",
        "ingest.cpuMsPer1000",
        "worker.cpuMsPer1000",
        "e2e.ingestRssMb",
        "e2e.workerRssMb",
        "e2e.maxQueueDepth",
        "e2e.redisBytesPerCompletedJob",
        "messages.oneDestination.rps",
        "messages.8Destinations.rps",
        "worker.noDestination.rps",
        "worker.oneDestination.rps",
        "ratio.workerWithDestination",
        "worker.destinationCpuMsPerEvent",
      ];
      for (const key of keys) {
        const figure = report.figures[key];
        expect(figure, key).toBeDefined();
        for (const stat of ["median", "min", "max"]) expect(Number.isFinite(figure[stat]), `${key}.${stat}`).toBe(true);
        expect(stdout).toContain(`| ${key} |`);
      }
      expect(report.targets).toHaveLength(9);
      expect(report.figures["ingest.errors"].max).toBe(0);
      expect(readFileSync(path.join(outDir, "smoke.svg"), "utf8")).toContain("<svg");
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 160_000);
});
