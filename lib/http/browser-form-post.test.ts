import { describe, expect, it } from "vitest";
import { isBrowserFormPost } from "./browser-form-post";

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
const post = (headers: Record<string, string>) =>
  new Request("http://leadgram.test/api/v1/public/leads/k", { method: "POST", headers });

describe("isBrowserFormPost", () => {
  it.each([
    ["application/x-www-form-urlencoded", BROWSER_ACCEPT],
    ["multipart/form-data; boundary=----x", BROWSER_ACCEPT],
    ["text/plain", BROWSER_ACCEPT],
    ["application/x-www-form-urlencoded", "text/html"],
    ["application/x-www-form-urlencoded", "application/json;q=0.5, text/html"],
  ])("%s with Accept %s is a browser form post", (contentType, accept) => {
    expect(isBrowserFormPost(post({ "content-type": contentType, accept }))).toBe(true);
  });

  it.each([
    ["application/json", BROWSER_ACCEPT],
    ["application/json; charset=utf-8", "text/html"],
    ["application/x-www-form-urlencoded", "*/*"],
    ["application/x-www-form-urlencoded", "application/json"],
    ["application/x-www-form-urlencoded", "application/json, text/html;q=0.9"],
    ["application/x-www-form-urlencoded", "text/html;q=0"],
    ["application/x-www-form-urlencoded", ""],
  ])("%s with Accept %s is a script's call", (contentType, accept) => {
    expect(isBrowserFormPost(post({ "content-type": contentType, accept }))).toBe(false);
  });
});
