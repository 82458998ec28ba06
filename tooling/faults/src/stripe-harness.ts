// Posts Stripe events the way Stripe does: signed at the moment of sending, a bounded number in
// flight, and anything not answered 2xx (an error status, a dropped connection, no answer in
// time) sent again later. It remembers every answer, so a test can tell which events Hookloop
// acknowledged and compare them with what ended up in the database.
import { signedStripeRequest } from "@hookloop/testing";

export type StripeTarget = { url: string; secret: string };
export type OutgoingEvent = { id: string; target: StripeTarget; event: unknown };

/** One attempt: the HTTP status, or 0 when the connection failed or no answer came in time. */
export type Attempt = { status: number; ms: number; at: number; error?: string };

export type HarnessFigures = {
  events: number;
  acknowledged: number;
  unacknowledged: number;
  attempts: number;
  /** Attempts answered with something other than 2xx, by status ("0" = no answer). */
  refusals: Record<string, number>;
  slowestRefusalMs: number;
};

export class StripeHarness {
  private readonly attempts = new Map<string, Attempt[]>();
  private readonly events = new Map<string, OutgoingEvent>();

  private nextStart = 0;

  constructor(
    private readonly options: {
      concurrency?: number;
      requestTimeoutMs?: number;
      /** Spreads sends out to at most this many per second, so a fault can land mid-stream. */
      perSecond?: number;
    } = {},
  ) {}

  /** Sends each event once (or again, if it was sent before), at most `concurrency` at a time. */
  async send(events: OutgoingEvent[], options: { onAnswer?: (event: OutgoingEvent, attempt: Attempt) => void } = {}) {
    const queue = [...events];
    const concurrency = this.options.concurrency ?? 16;
    const lanes = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        await this.pace();
        const attempt = await this.post(next);
        options.onAnswer?.(next, attempt);
      }
    });
    await Promise.all(lanes);
  }

  /**
   * Re-sends every event not yet answered 2xx, as Stripe's retries do, until all are
   * acknowledged or `rounds` passes have been made; waits `pauseMs` between passes.
   */
  async resendUnacknowledged({ rounds = 20, pauseMs = 500 } = {}) {
    for (let round = 0; round < rounds; round++) {
      const pending = this.unacknowledged();
      if (!pending.length) return;
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      await this.send(pending);
    }
  }

  acknowledged(): OutgoingEvent[] {
    return [...this.events.values()].filter((event) => this.wasAcknowledged(event.id));
  }

  unacknowledged(): OutgoingEvent[] {
    return [...this.events.values()].filter((event) => !this.wasAcknowledged(event.id));
  }

  wasAcknowledged(id: string): boolean {
    return (this.attempts.get(id) ?? []).some((attempt) => attempt.status >= 200 && attempt.status < 300);
  }

  /** Every attempt, in the order they were answered. */
  allAttempts(): Array<Attempt & { id: string }> {
    return [...this.attempts].flatMap(([id, attempts]) => attempts.map((attempt) => ({ id, ...attempt })));
  }

  figures(): HarnessFigures {
    const refusals: Record<string, number> = {};
    let attempts = 0;
    let slowestRefusalMs = 0;
    for (const attempt of this.allAttempts()) {
      attempts++;
      if (attempt.status >= 200 && attempt.status < 300) continue;
      refusals[attempt.status] = (refusals[attempt.status] ?? 0) + 1;
      slowestRefusalMs = Math.max(slowestRefusalMs, attempt.ms);
    }
    const acknowledged = this.acknowledged().length;
    return {
      events: this.events.size,
      acknowledged,
      unacknowledged: this.events.size - acknowledged,
      attempts,
      refusals,
      slowestRefusalMs,
    };
  }

  private async pace() {
    if (!this.options.perSecond) return;
    const now = Date.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + 1_000 / this.options.perSecond;
    if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
  }

  private async post(outgoing: OutgoingEvent): Promise<Attempt> {
    this.events.set(outgoing.id, outgoing);
    const request = signedStripeRequest(outgoing.event, outgoing.target.secret);
    const started = Date.now();
    let attempt: Attempt;
    try {
      const response = await fetch(outgoing.target.url, {
        method: "POST",
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
      });
      await response.arrayBuffer();
      attempt = { status: response.status, ms: Date.now() - started, at: started };
    } catch (error) {
      attempt = { status: 0, ms: Date.now() - started, at: started, error: String((error as Error).cause ?? error) };
    }
    const list = this.attempts.get(outgoing.id) ?? [];
    list.push(attempt);
    this.attempts.set(outgoing.id, list);
    return attempt;
  }
}
