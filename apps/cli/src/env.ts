import { databaseEnv, encryptionEnv, ingestUrlEnv, parseEnv } from "@hookloop/config";
import type { z } from "zod";

export const cliEnvSchema = databaseEnv.extend(encryptionEnv.shape).extend(ingestUrlEnv.shape);

export type CliEnv = z.output<typeof cliEnvSchema>;

export const readCliEnv = (source: Record<string, string | undefined> = process.env): CliEnv => parseEnv(cliEnvSchema, source);
