import "server-only";
// Failed sign-ins counted per account, in Redis so every dashboard process shares them: an
// attacker spreading guesses over many addresses still meets this limit, whatever the IP limit
// lets through. The count also grows for addresses with no account, so the answer says nothing
// about which addresses exist. A password reset clears it, so the owner is never locked out for long.
import { RateLimiterRedis } from "rate-limiter-flexible";
import { env } from "../env";
import { services } from "./services";

export const FAILED_SIGN_INS_ALLOWED = 10;
export const LOCKOUT_MINUTES = 15;

let limiter: RateLimiterRedis | undefined;
function failures() {
  limiter ??= new RateLimiterRedis({
    storeClient: services().redis,
    keyPrefix: `${env().REDIS_PREFIX}:failed-sign-in`,
    points: FAILED_SIGN_INS_ALLOWED,
    duration: LOCKOUT_MINUTES * 60,
  });
  return limiter;
}

const keyOf = (email: string) => email.trim().toLowerCase();

export async function accountLocked(email: string): Promise<boolean> {
  const record = await failures().get(keyOf(email));
  return (record?.consumedPoints ?? 0) >= FAILED_SIGN_INS_ALLOWED;
}

export async function recordFailedSignIn(email: string): Promise<void> {
  // Past the limit `consume` rejects with the limiter's state rather than an error: nothing to do.
  await failures()
    .consume(keyOf(email))
    .catch((rejection: unknown) => {
      if (rejection instanceof Error) throw rejection;
    });
}

export async function clearFailedSignIns(email: string): Promise<void> {
  await failures().delete(keyOf(email));
}
