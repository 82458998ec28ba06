import { redirect } from "next/navigation";
import { currentSession } from "@/server/session";

export const dynamic = "force-dynamic";

export default async function Home() {
  redirect((await currentSession()) ? "/endpoints" : "/sign-up");
}
