export {
  asJson,
  fixtureEventTypes,
  newTestSigningSecret,
  signedStripeRequest,
  stripeEvent,
  type FixtureEventType,
  type FixtureOptions,
} from "@hookloop/core";
