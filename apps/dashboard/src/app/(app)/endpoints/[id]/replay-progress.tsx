"use client";
// Where a bulk replay stands, read again every second until nothing it queued is left waiting.
import type { ReplayProgress as Progress } from "@hookloop/core";
import { useEffect, useState } from "react";

export function ReplayProgress({ url, initial }: { url: string; initial: Progress }) {
  const [progress, setProgress] = useState(initial);
  const done = progress.queued === 0;
  useEffect(() => {
    if (done) return;
    const poll = async () => {
      const response = await fetch(url, { cache: "no-store" }).catch(() => null);
      // A failed read tries again a second later (a new object re-runs this effect).
      if (response?.ok) setProgress((await response.json()) as Progress);
      else setProgress((current) => ({ ...current }));
    };
    const timer = setTimeout(() => void poll(), 1_000);
    return () => clearTimeout(timer);
  }, [url, progress, done]);
  const applied = progress.total - progress.queued;
  const outcomes = [
    `${progress.processed} processed`,
    ...(progress.ignored ? [`${progress.ignored} ignored`] : []),
    ...(progress.failed ? [`${progress.failed} failed again`] : []),
  ].join(", ");
  return (
    <p className="notice" role="status" data-testid="replay-progress">
      {done
        ? `Replay finished: ${applied} of ${progress.total} applied (${outcomes}).`
        : `Replaying ${progress.total}: ${progress.queued} still queued, ${applied} applied (${outcomes}).`}
    </p>
  );
}
