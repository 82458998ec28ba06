// What a password must be: long enough, and not one an attacker tries early. zxcvbn-ts scores it
// against its offline dictionaries (common passwords, words, names, keyboard patterns, dates) and
// the person's own name and email, as NIST 800-63B asks of a "blocklist" check.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
/** zxcvbn's "safely unguessable" (about 10^10 guesses): offline-attack resistant with a slow hash. */
const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;
function strength() {
  estimator ??= new ZxcvbnFactory({
    translations: english.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary },
  });
  return estimator;
}

/** Why a password is refused, in words for the person choosing it; undefined when it is fine. */
export function passwordProblem(password: string, person: { email?: string; name?: string } = {}): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const inputs = [person.email, person.email?.split("@")[0], ...(person.name?.split(/\s+/) ?? [])].filter(
    (input): input is string => Boolean(input),
  );
  const result = strength().check(password, inputs);
  if (result.score >= MIN_SCORE) return undefined;
  const why = result.feedback.warning ? `${result.feedback.warning.replace(/\.$/, "")}. ` : "";
  return `That password is too easy to guess. ${why}Try a few unrelated words, or a password manager's suggestion.`;
}
