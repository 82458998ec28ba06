/** Something a caller asked for does not exist in the caller's workspace. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
  constructor(readonly entity: string) {
    super(`${entity} not found`);
  }
}

/** Input a user can correct; `message` is written for them. */
export class InvalidInputError extends Error {
  override name = "InvalidInputError";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * A rotation that would drop, at once, the secret the last rotation replaced while it is still in
 * its grace; it runs only when the caller confirms dropping that very secret (`acceptedUntil`).
 */
export class SecretInGraceError extends Error {
  override name = "SecretInGraceError";
  constructor(
    readonly last4: string,
    readonly acceptedUntil: Date,
  ) {
    super(`the secret ending in ${last4} is in use until ${acceptedUntil.toISOString()}`);
  }
}
