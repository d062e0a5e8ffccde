import { describe, expect, it } from "vitest";
import { localeFromAcceptLanguage } from "./accept-language";

describe("localeFromAcceptLanguage", () => {
  it.each([
    ["ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"],
    ["en-US,en;q=0.9", "en"],
    ["en-GB", "en"],
    ["de-DE,de;q=0.9,en;q=0.8,ru;q=0.7", "en"],
    ["ru;q=0.3,en;q=0.8", "en"],
    ["EN", "en"],
    ["en;q=0,ru;q=0.1", "ru"],
    ["de-DE", "ru"],
    ["english", "ru"],
    ["*", "ru"],
    ["", "ru"],
    [null, "ru"],
  ])("%s → %s", (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
});
