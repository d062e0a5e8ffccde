import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { fetchSnippet } from "./embed-snippet";

// The fetch snippet as owners paste it, run against a real HTTP server that fails the way a
// flaky connection does. Only the page around it is stood in for: a form, and a clock that
// records each wait instead of sleeping through it.

type Received = { key: string | undefined; body: string };
type Answer = (res: ServerResponse) => void;

const THANKS = "Спасибо! Мы скоро свяжемся с вами.";
const FAILED = "Не удалось отправить заявку, попробуйте ещё раз.";

const answers = {
  dropConnection: (res: ServerResponse) => res.socket?.destroy(),
  status:
    (status: number, headers: Record<string, string> = {}) =>
    (res: ServerResponse) =>
      res.writeHead(status, { "content-type": "application/json", ...headers }).end('{"detail":"x","code":"x"}'),
  created: (res: ServerResponse) =>
    res.writeHead(201, { "content-type": "application/json" }).end('{"id":"lead-1","status":"received"}'),
};

let server: ReturnType<typeof createServer> | undefined;

afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

/** A server answering its requests in turn with `script` (the last answer repeats). */
async function flakyServer(script: Answer[]): Promise<{ endpoint: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ key: req.headers["idempotency-key"] as string | undefined, body });
      (script[received.length - 1] ?? script.at(-1))?.(res);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}/api/v1/public/leads/site-key`, received };
}

/** Runs the snippet on a page with one form, submits it, and resolves with what replaced the form. */
async function submitForm(endpoint: string, fields: Record<string, string>) {
  const waits: number[] = [];
  const buttons = [{ disabled: false }];
  let listener: ((event: unknown) => Promise<void>) | undefined;
  let replacedWith: string | undefined;
  const form = {
    fields,
    querySelectorAll: () => buttons,
    replaceWith: (text: string) => (replacedWith = text),
  };
  const page = {
    document: {
      referrer: "https://search.example/",
      querySelector: () => ({ addEventListener: (_: string, handler: typeof listener) => (listener = handler) }),
    },
    location: { search: "?utm_source=ads&other=1", pathname: "/contact" },
    FormData: class {
      constructor(readonly source: typeof form) {}
      [Symbol.iterator]() {
        return Object.entries(this.source.fields)[Symbol.iterator]();
      }
    },
    setTimeout: (resolve: () => void, ms: number) => {
      waits.push(ms);
      resolve();
    },
    crypto,
    fetch,
    URLSearchParams,
  };
  const script = fetchSnippet(endpoint).replace(/^<script>\n|<\/script>$/g, "");
  runInNewContext(script, page);
  await listener?.({ preventDefault: () => {}, currentTarget: form });
  return { replacedWith, waits, buttons };
}

describe("the fetch snippet", () => {
  it("retries a lost request, a 5xx and a 429 with one Idempotency-Key, waiting as asked", async () => {
    const { endpoint, received } = await flakyServer([
      answers.dropConnection,
      answers.status(503),
      answers.status(429, { "Retry-After": "7" }),
      answers.created,
    ]);
    const { replacedWith, waits, buttons } = await submitForm(endpoint, { name: "Иван", phone: "+7 900" });

    expect(replacedWith).toBe(THANKS);
    expect(received).toHaveLength(4);
    const [first] = received;
    expect(first?.key).toMatch(/^[0-9a-f-]{36}$/);
    for (const attempt of received) expect(attempt).toEqual(first);
    expect(JSON.parse(first?.body ?? "")).toEqual({
      name: "Иван",
      phone: "+7 900",
      utm_source: "ads",
      page: "/contact",
      referrer: "https://search.example/",
    });
    // Backing off 1 s, then 2 s, then the 7 s the 429 asked for.
    expect(waits).toEqual([1_000, 2_000, 7_000]);
    expect(buttons[0]?.disabled).toBe(true);
  });

  it("gives up after four attempts and says so", async () => {
    const { endpoint, received } = await flakyServer([answers.status(502)]);
    const { replacedWith, waits } = await submitForm(endpoint, { name: "Иван" });
    expect(replacedWith).toBe(FAILED);
    expect(received).toHaveLength(4);
    expect(new Set(received.map((attempt) => attempt.key)).size).toBe(1);
    expect(waits).toEqual([1_000, 2_000, 4_000]);
  });

  it("does not retry a refusal the form has to fix, and a new submission gets a new key", async () => {
    const { endpoint, received } = await flakyServer([answers.status(422)]);
    expect((await submitForm(endpoint, { email: "nope" })).replacedWith).toBe(FAILED);
    expect((await submitForm(endpoint, { email: "nope" })).waits).toEqual([]);
    expect(received).toHaveLength(2);
    expect(received[0]?.key).not.toBe(received[1]?.key);
  });
});
