import { describe, expect, it } from "vitest";
import { describeWebhookUrl } from "./webhook-registration";

describe("describeWebhookUrl", () => {
  it("builds the URL from PUBLIC_API_URL and the integration's path id", () => {
    expect(describeWebhookUrl("https://api.example.com", { webhookPathId: "abc123" })).toEqual({
      webhook_url: "https://api.example.com/api/v1/telegram/webhook/abc123",
      is_configured: true,
      message: null,
    });
  });

  it("answers the spec's not-configured response without PUBLIC_API_URL", () => {
    expect(describeWebhookUrl(undefined, { webhookPathId: "abc123" })).toEqual({
      webhook_url: "",
      is_configured: false,
      message:
        "PUBLIC_API_URL not configured. Set PUBLIC_API_URL environment variable to your domain (e.g., https://yourdomain.com)",
    });
  });
});
