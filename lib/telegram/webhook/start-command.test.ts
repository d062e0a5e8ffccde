import { describe, expect, it } from "vitest";
import { parseStartCommand } from "./start-command";

describe("parseStartCommand", () => {
  it.each([
    ["/start", { connectCode: null, accountLinkCode: null }],
    ["/start   ", { connectCode: null, accountLinkCode: null }],
    ["/start@leads_bot", { connectCode: null, accountLinkCode: null }],
    ["/start c_abc-DEF_123", { connectCode: "abc-DEF_123", accountLinkCode: null }],
    ["/start@leads_bot c_xyz", { connectCode: "xyz", accountLinkCode: null }],
    ["/start l_abc-DEF_123", { connectCode: null, accountLinkCode: "abc-DEF_123" }],
    ["/start@leads_bot l_xyz", { connectCode: null, accountLinkCode: "xyz" }],
    ["/start hello", { connectCode: null, accountLinkCode: null }],
  ])("reads %j", (text, expected) => {
    expect(parseStartCommand(text)).toEqual(expected);
  });

  it.each([undefined, "", "start", "/stop", "/starting", "hi /start", "/start a b"])("ignores %j", (text) => {
    expect(parseStartCommand(text)).toBeNull();
  });
});
