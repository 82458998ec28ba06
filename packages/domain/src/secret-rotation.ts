/**
 * How long the secret a rotation replaces stays in use: an endpoint keeps accepting Stripe events
 * signed with it, a destination keeps signing its messages with it too.
 */
export const SECRET_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * Whether rotating at `now` would cut short the grace of the secret the last rotation replaced.
 * Only one replaced secret is kept, so a second rotation inside the grace drops it at once: often
 * the very secret Stripe (or a receiver) still uses, which is why the dashboard asks first.
 */
export function rotationDropsSecretInGrace(previousSecretExpiresAt: Date | null, now: Date): boolean {
  return previousSecretExpiresAt !== null && previousSecretExpiresAt.getTime() > now.getTime();
}

/** When the replaced secret stops being used, for a rotation at `now`. */
export const graceEndsAt = (now: Date) => new Date(now.getTime() + SECRET_ROTATION_GRACE_MS);
