import "server-only";
import type { AuditActor } from "@hookloop/domain";

/** The signed-in person as the audit log names them: their user id and email. */
export const userActor = (user: { id: string; email: string }): AuditActor => ({
  kind: "user",
  userId: user.id,
  email: user.email,
});
