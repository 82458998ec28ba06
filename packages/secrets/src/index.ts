export { SecretBox, SecretDecryptionError, parseKeyring, type Keyring } from "./secret-box";
