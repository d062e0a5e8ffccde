import { describe, expect, it } from "vitest";
import { buildTrustedProxyList, resolveClientIp } from "./client-ip";

const loopbackOnly = buildTrustedProxyList(["loopback"]);
const withLan = buildTrustedProxyList(["loopback", "10.0.0.0/8"]);

describe("resolveClientIp", () => {
  it("uses the connection's address when it is not a trusted proxy", () => {
    expect(resolveClientIp("203.0.113.7", "198.51.100.1", loopbackOnly)).toBe("203.0.113.7");
  });

  it("believes X-Forwarded-For from a trusted proxy", () => {
    expect(resolveClientIp("127.0.0.1", "198.51.100.1", loopbackOnly)).toBe("198.51.100.1");
    expect(resolveClientIp("::ffff:127.0.0.1", "198.51.100.1", loopbackOnly)).toBe("198.51.100.1");
  });

  it("stops at the first untrusted hop so a client cannot spoof entries left of it", () => {
    expect(resolveClientIp("127.0.0.1", "1.1.1.1, 198.51.100.1", loopbackOnly)).toBe("198.51.100.1");
    expect(resolveClientIp("127.0.0.1", "1.1.1.1, 198.51.100.1, 10.1.2.3", withLan)).toBe("198.51.100.1");
  });

  it("keeps the proxy's address when the header is absent or garbage", () => {
    expect(resolveClientIp("127.0.0.1", null, loopbackOnly)).toBe("127.0.0.1");
    expect(resolveClientIp("127.0.0.1", "not-an-ip", loopbackOnly)).toBe("127.0.0.1");
  });

  it("answers unknown without a peer address", () => {
    expect(resolveClientIp(null, "198.51.100.1", loopbackOnly)).toBe("unknown");
  });
});
