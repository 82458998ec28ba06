import { z } from "zod";

export type DestinationUrlRules = {
  /**
   * Self-hosted set-ups and a developer's machine may send to their own network, over plain http
   * too. Elsewhere only public https URLs are accepted; the address a URL resolves to is checked
   * again at every send.
   */
  allowPrivateTargets: boolean;
};

const maxUrlLength = 2048;

/**
 * The URL a marketer enters for a destination, checked with a message for each usual slip; the
 * output is normalised. Where the host leads is not a question of spelling: core's
 * resolveDestinationTarget checks the addresses it resolves to, when saved and at every send.
 */
export function destinationUrlSchema(rules: DestinationUrlRules) {
  return z
    .string()
    .transform((value) => value.trim())
    .transform((value, context) => {
      const fail = (message: string) => {
        context.addIssue({ code: "custom", message });
        return z.NEVER;
      };
      if (!value) return fail("Enter the URL Hookloop should send messages to.");
      if (value.length > maxUrlLength) return fail(`Keep the URL to ${maxUrlLength} characters or fewer.`);
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
        return fail("Start the URL with https://, as in https://example.com/webhooks/hookloop.");
      }
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return fail("That is not a URL; it should look like https://example.com/webhooks/hookloop.");
      }
      const schemes = rules.allowPrivateTargets ? ["https:", "http:"] : ["https:"];
      if (!schemes.includes(url.protocol)) {
        if (url.protocol === "http:") {
          return fail("Use an https:// URL: messages carry your contacts' details, so they travel encrypted.");
        }
        return fail(rules.allowPrivateTargets ? "Use an https:// or http:// URL." : "Use an https:// URL.");
      }
      if (url.username || url.password) {
        return fail("Leave the user name and password out of the URL: Hookloop signs every message instead.");
      }
      url.hash = "";
      return url.href;
    });
}
