// Signing secrets at rest: AES-256-GCM under a named key, bound to the row that owns them.
//
// Ciphertext: `v1.<keyId>.<iv>.<tag>.<data>` (base64url parts). The key id lets old ciphertexts
// keep decrypting after a new key becomes current; the associated data (for example the
// workspace and endpoint ids) makes a ciphertext copied onto another row fail to decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;

export type Keyring = { currentKeyId: string; keys: ReadonlyMap<string, Buffer> };

export class SecretDecryptionError extends Error {
  override name = "SecretDecryptionError";
}

/**
 * Parses `id:base64key[,id:base64key…]`; the first key encrypts, every key decrypts.
 * Throws a message fit for a boot error when the value is malformed.
 */
export function parseKeyring(value: string): Keyring {
  const keys = new Map<string, Buffer>();
  let currentKeyId: string | undefined;
  for (const entry of value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(":");
    const id = entry.slice(0, separator);
    const key = Buffer.from(entry.slice(separator + 1), "base64");
    if (separator <= 0 || !/^[A-Za-z0-9_-]+$/.test(id)) {
      throw new Error(`encryption key "${entry.slice(0, 12)}…" must look like <id>:<base64 key>`);
    }
    if (key.length !== KEY_BYTES) {
      throw new Error(`encryption key "${id}" must be ${KEY_BYTES} bytes of base64, got ${key.length}`);
    }
    if (keys.has(id)) throw new Error(`encryption key id "${id}" appears twice`);
    keys.set(id, key);
    currentKeyId ??= id;
  }
  if (!currentKeyId) throw new Error("no encryption key given");
  return { currentKeyId, keys };
}

export class SecretBox {
  constructor(private readonly keyring: Keyring) {}

  get currentKeyId(): string {
    return this.keyring.currentKeyId;
  }

  encrypt(plaintext: string, associatedData: string): string {
    const keyId = this.keyring.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key(keyId), iv);
    cipher.setAAD(Buffer.from(associatedData, "utf8"));
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [VERSION, keyId, iv, cipher.getAuthTag(), data]
      .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
      .join(".");
  }

  decrypt(ciphertext: string, associatedData: string): string {
    const [version, keyId, iv, tag, data] = ciphertext.split(".");
    if (version !== VERSION || !keyId || iv === undefined || tag === undefined || data === undefined) {
      throw new SecretDecryptionError("not a Hookloop secret ciphertext");
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key(keyId), Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(associatedData, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
    } catch (error) {
      if (error instanceof SecretDecryptionError) throw error;
      throw new SecretDecryptionError("secret does not decrypt for this row with this keyring");
    }
  }

  /** The key id a ciphertext was sealed with, to find the ones a key rotation must re-encrypt. */
  static keyIdOf(ciphertext: string): string | undefined {
    return ciphertext.split(".")[1];
  }

  private key(keyId: string): Buffer {
    const key = this.keyring.keys.get(keyId);
    if (!key) throw new SecretDecryptionError(`encryption key "${keyId}" is not in the keyring`);
    return key;
  }
}
