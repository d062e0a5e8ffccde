// GET|POST /api/auth/* — next-auth's sign-in, sign-out and session endpoints
import { rejectThrottledSignIn } from "@/lib/auth/reject-throttled-sign-in";
import { handlers } from "@/lib/auth/next-auth";

export const GET = handlers.GET;

export async function POST(req: Request): Promise<Response> {
  return (await rejectThrottledSignIn(req)) ?? handlers.POST(req as Parameters<typeof handlers.POST>[0]);
}
