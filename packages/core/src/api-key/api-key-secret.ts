import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "hl_live_";

/** `hl_live_` and 4 characters of the random part: enough to tell a workspace's keys apart, nowhere near enough to guess one. */
const shownPrefixLength = API_KEY_PREFIX.length + 4;

/**
 * A new key: `hl_live_` and 32 random bytes (256 bits, base64url). Kept as its SHA-256 only.
 * A slow password hash (argon2, bcrypt) exists to make guessing a low-entropy password from its
 * hash expensive; no amount of guessing finds a 256-bit random key, so a fast hash loses nothing,
 * and it lets every request find its key with one indexed lookup instead of trying each stored
 * salted hash.
 */
export function newApiKeySecret(): { key: string; prefix: string; keyHash: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { key, prefix: key.slice(0, shownPrefixLength), keyHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}
