// The environment of the commands that act as the schema owner (db:migrate, the migrate image,
// function-drift), read once here. They connect with MIGRATION_DATABASE_URL; DATABASE_URL is the
// services' own, logged in as hookloop_app, and is never used to migrate.
export type MigrateEnv = { connectionString: string; appPassword?: string };

export function readMigrateEnv(source: Record<string, string | undefined> = process.env): MigrateEnv {
  const problems: string[] = [];
  const connectionString = source.MIGRATION_DATABASE_URL;
  if (!connectionString || !/^postgres(ql)?:\/\//.test(connectionString)) {
    problems.push("MIGRATION_DATABASE_URL: the schema owner's postgresql:// URL is required");
  }
  const appPassword = source.DATABASE_APP_PASSWORD || undefined;
  if (!appPassword && source.NODE_ENV === "production") {
    problems.push(
      "DATABASE_APP_PASSWORD: required in production: hookloop_app's password, which the services' DATABASE_URL carries",
    );
  }
  if (problems.length) throw new Error(`invalid environment:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
  return { connectionString: connectionString!, ...(appPassword ? { appPassword } : {}) };
}
