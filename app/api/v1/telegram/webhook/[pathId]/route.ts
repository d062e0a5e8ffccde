// POST /api/v1/telegram/webhook/<path id> — updates from Telegram for one integration's bot
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { after } from "next/server";
import { apiRoute, json } from "@/lib/http/api-route";
import { receiveUpdate, sendReply } from "@/lib/telegram/webhook/receive-update";

export const POST = apiRoute(async (req, { params }) => {
  const { pathId } = await params;
  const { reply, integration } = await receiveUpdate(
    String(pathId),
    req.headers.get("x-telegram-bot-api-secret-token"),
    req,
  );
  // Answer Telegram first; the reply to /start goes out after the response.
  if (reply) after(() => sendReply(integration, reply));
  return json({ ok: true });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ POST });
