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
