import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiClientError, apiRequest } from "./api-client";

// A real HTTP server answers each path with the status and body named in the test.
const answers: Record<string, { status: number; body: string }> = {
  "/taken": {
    status: 409,
    body: JSON.stringify({ detail: "Reworded: this bot belongs elsewhere", code: "bot_taken" }),
  },
  "/invalid": {
    status: 422,
    body: JSON.stringify({
      detail: [
        {
          loc: ["body", "welcome_message"],
          msg: "String should have at most 4096 characters",
          type: "string_too_long",
        },
      ],
      code: "validation_error",
    }),
  },
  "/proxy": { status: 502, body: "<html>Bad Gateway</html>" },
  "/unknown-code": { status: 400, body: JSON.stringify({ detail: "From a newer server", code: "not_a_code_we_know" }) },
};

let server: Server;
let base = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = answers[req.url ?? ""] ?? { status: 404, body: "" };
    res.writeHead(answer.status, { "Content-Type": "application/json" }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const failure = (path: string) =>
  apiRequest("GET", base + path, z.unknown()).then(
    () => expect.unreachable(),
    (error: unknown) => error as ApiClientError,
  );

describe("apiRequest's errors", () => {
  it("carry the answer's code, whatever the wording of detail", async () => {
    const error = await failure("/taken");
    expect(error).toBeInstanceOf(ApiClientError);
    expect(error.code).toBe("bot_taken");
    expect(error.displayMessage).toBe("Reworded: this bot belongs elsewhere");
  });

  it("name a 422's failed fields from loc", async () => {
    const error = await failure("/invalid");
    expect(error.code).toBe("validation_error");
    expect(error.failedField("welcome_message")).toBe(true);
    expect(error.failedField("owner_chat_id")).toBe(false);
    expect(error.displayMessage).toBe("welcome_message: String should have at most 4096 characters");
  });

  it("have no code when the answer is not Leadgram's error body, keeping a sentence it has", async () => {
    const proxy = await failure("/proxy");
    expect([proxy.status, proxy.code, proxy.displayMessage]).toEqual([502, null, "Bad Gateway"]);
    const newer = await failure("/unknown-code");
    expect([newer.status, newer.code, newer.displayMessage]).toEqual([400, null, "From a newer server"]);
  });
});
