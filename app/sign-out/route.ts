// POST /sign-out — the sign-out button's plain form: ends the session, back to the home page
//
// A route handler rather than a server action: Next answers an undecodable server-action
// body with 500 (vercel/next.js#86945).
import { signOut } from "@/lib/auth/next-auth";

export async function POST(): Promise<Response> {
  await signOut({ redirect: false });
  return new Response(null, { status: 303, headers: { Location: "/" } });
}
