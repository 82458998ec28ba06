import { z } from "zod";

export const triggerNameSchema = z
  .string()
  .trim()
  .min(1, "Give the trigger event a name.")
  .max(64, "Keep the trigger event name to 64 characters or fewer.")
  .regex(/^[A-Za-z0-9_-]+$/, "Use only letters, digits, _ and - in a trigger event name.");
