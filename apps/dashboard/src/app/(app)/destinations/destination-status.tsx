/** Enabled, paused (and why) or disabled, as a badge and a line. */
export function DestinationStatus({
  destination,
}: {
  destination: { enabled: boolean; pausedAt: Date | null; pausedReason: string | null };
}) {
  if (!destination.enabled) return <span className="badge ignored">disabled</span>;
  if (destination.pausedAt) {
    return (
      <>
        <span className="badge ignored">paused</span>
        {destination.pausedReason && <div className="muted small">{destination.pausedReason}</div>}
      </>
    );
  }
  return <span className="badge processed">enabled</span>;
}
