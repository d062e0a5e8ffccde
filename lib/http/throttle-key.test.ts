import { describe, expect, it } from "vitest";
import { throttleKey } from "./throttle-key";

describe("throttleKey", () => {
  it("keeps an IPv4 address and an unknown client as they are", () => {
    expect(throttleKey("203.0.113.7")).toBe("203.0.113.7");
    expect(throttleKey("unknown")).toBe("unknown");
  });

  it("groups IPv6 addresses by their /64, however they are written", () => {
    const key = "2001:db8:1:2::/64";
    for (const address of [
      "2001:db8:1:2::1",
      "2001:db8:1:2:ffff:ffff:ffff:ffff",
      "2001:0DB8:0001:0002:0:0:0:9",
      "2001:db8:1:2::a%eth0",
      "2001:db8:1:2::1.2.3.4",
    ]) {
      expect(throttleKey(address)).toBe(key);
    }
  });

  it("keeps different /64s apart", () => {
    expect(throttleKey("2001:db8:1:3::1")).not.toBe(throttleKey("2001:db8:1:2::1"));
    expect(throttleKey("::1")).toBe("0:0:0:0::/64");
    expect(throttleKey("fe80::1")).toBe("fe80:0:0:0::/64");
    expect(throttleKey("2001:db8::")).toBe("2001:db8:0:0::/64");
  });
});
