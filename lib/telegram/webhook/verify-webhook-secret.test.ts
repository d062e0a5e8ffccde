import { describe, expect, it } from "vitest";
import { webhookSecretMatches } from "./verify-webhook-secret";

describe("webhookSecretMatches", () => {
  it("accepts only the exact secret", () => {
    expect(webhookSecretMatches("s3cr3t_-A", "s3cr3t_-A")).toBe(true);
    for (const received of [null, "", "s3cr3t_-a", "s3cr3t_-A ", "s3cr3t_-", "x".repeat(300)]) {
      expect(webhookSecretMatches("s3cr3t_-A", received)).toBe(false);
    }
  });
});
