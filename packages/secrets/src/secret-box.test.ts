import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SecretBox, SecretDecryptionError, parseKeyring } from "./secret-box";

const key = () => randomBytes(32).toString("base64");

describe("SecretBox", () => {
  const keyring = parseKeyring(`k1:${key()}`);
  const box = new SecretBox(keyring);

  it("round-trips a secret and never stores it in clear", () => {
    const sealed = box.encrypt("whsec_abc123", "ws_1:ep_1");
    expect(sealed).not.toContain("whsec_abc123");
    expect(sealed.startsWith("v1.k1.")).toBe(true);
    expect(box.decrypt(sealed, "ws_1:ep_1")).toBe("whsec_abc123");
  });

  it("refuses a ciphertext copied onto another row", () => {
    const sealed = box.encrypt("whsec_abc123", "ws_1:ep_1");
    expect(() => box.decrypt(sealed, "ws_2:ep_1")).toThrow(SecretDecryptionError);
  });

  it("refuses a tampered ciphertext", () => {
    const sealed = box.encrypt("whsec_abc123", "ws_1:ep_1");
    const parts = sealed.split(".");
    parts[4] = Buffer.from("whsec_evil000").toString("base64url");
    expect(() => box.decrypt(parts.join("."), "ws_1:ep_1")).toThrow(SecretDecryptionError);
  });

  it("keeps decrypting old ciphertexts after a new key becomes current", () => {
    const old = box.encrypt("whsec_old", "ws:ep");
    const rotated = new SecretBox(parseKeyring(`k2:${key()},k1:${keyring.keys.get("k1")!.toString("base64")}`));
    expect(rotated.decrypt(old, "ws:ep")).toBe("whsec_old");
    expect(SecretBox.keyIdOf(rotated.encrypt("whsec_new", "ws:ep"))).toBe("k2");
  });

  it("explains a malformed keyring", () => {
    expect(() => parseKeyring("")).toThrow(/no encryption key/);
    expect(() => parseKeyring("k1:c2hvcnQ=")).toThrow(/must be 32 bytes/);
    expect(() => parseKeyring(`nokey`)).toThrow(/<id>:<base64 key>/);
  });
});
