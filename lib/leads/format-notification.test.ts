import { describe, expect, it } from "vitest";
import { KNOWN_LEAD_FIELDS, type KnownLeadField, type LeadFields } from "@/lib/schemas/leads";
import { SPEC_EXAMPLE_LEAD, SPEC_EXAMPLE_NOTIFICATION } from "./__fixtures__/spec-example";
import {
  EMPTY_LEAD_LINE,
  MAX_PARTS,
  TELEGRAM_TEXT_LIMIT,
  TRUNCATION_MARKER,
  continuationHeader,
  escapeTelegramHtml,
  formatLeadNotification,
  renderLeadNotification,
  visibleLength,
} from "./format-notification";

const SEP = "━━━━━━━━━━━━━━━━━━━━━━";
const TITLE = "📝 Новая заявка с сайта";

/** Test-only decoder, independent of the module's: strip tags, decode the three entities. */
function decode(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt);/g, (_, name: string) => ({ amp: "&", lt: "<", gt: ">" })[name] ?? "");
}

const lead = (fields: Partial<Record<KnownLeadField, string>>, extra: Record<string, string> = {}): LeadFields => ({
  ...fields,
  extra,
});

const specLead = lead(SPEC_EXAMPLE_LEAD);

/** The content of a part without its continuation header and truncation marker, decoded. */
function body(part: string, index: number, total: number): string {
  let text = decode(part);
  if (index > 0) {
    const header = `${continuationHeader(index + 1, total)}\n`;
    expect(text.startsWith(header)).toBe(true);
    text = text.slice(header.length);
  }
  const marker = `\n\n${TRUNCATION_MARKER}`;
  if (text.endsWith(marker)) text = text.slice(0, -marker.length);
  return text;
}
const bodies = (parts: string[]) => parts.map((part, index) => body(part, index, parts.length));
const truncated = (parts: string[]) => decode(parts.at(-1) ?? "").endsWith(`\n\n${TRUNCATION_MARKER}`);

function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Every invariant any output must satisfy. */
function assertWellFormed(parts: string[]) {
  expect(parts.length).toBeGreaterThanOrEqual(1);
  expect(parts.length).toBeLessThanOrEqual(MAX_PARTS);
  parts.forEach((part, index) => {
    expect(visibleLength(part)).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(decode(part).trim()).not.toBe("");
    // The only HTML is escaping: no tags, every `&` opens one of the three entities.
    expect(part).not.toMatch(/[<>]/);
    expect(part).not.toMatch(/&(?!(?:amp|lt|gt);)/);
    expect(hasLoneSurrogate(part)).toBe(false);
    if (index === 0) expect(part.startsWith(`${TITLE}\n${SEP}\n`)).toBe(true);
    else expect(part.startsWith(`${continuationHeader(index + 1, parts.length)}\n`)).toBe(true);
    if (index < parts.length - 1) expect(decode(part)).not.toContain(TRUNCATION_MARKER);
  });
}

const paragraphs = (length: number, seed = 1) => {
  const random = mulberry32(seed);
  const lines: string[] = [];
  let total = 0;
  while (total < length) {
    const words = Array.from({ length: 3 + Math.floor(random() * 25) }, () =>
      "слово".slice(0, 1 + Math.floor(random() * 5)),
    );
    const line = words.join(" ");
    lines.push(line);
    total += line.length + 1;
  }
  return lines.join("\n").slice(0, length).trimEnd();
};

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("formatLeadNotification: the spec's format", () => {
  it("renders the spec's example byte for byte as one message", () => {
    const expected = SPEC_EXAMPLE_NOTIFICATION;
    expect(formatLeadNotification(specLead)).toEqual([expected]);
    expect(renderLeadNotification(specLead)).toBe(expected);
    expect(SEP).toBe("━".repeat(22));
  });

  it("renders a lead with only an email", () => {
    expect(formatLeadNotification(lead({ email: "a@b.c" }))).toEqual([`${TITLE}\n${SEP}\n📧 Email: a@b.c`]);
  });

  it("renders a lead with only a message, without a blank line after the separator", () => {
    expect(formatLeadNotification(lead({ message: "Привет\nмир" }))).toEqual([
      `${TITLE}\n${SEP}\n💬 Сообщение:\nПривет\nмир`,
    ]);
  });

  it("leaves the closing separator and footer out when no footer part is present", () => {
    expect(formatLeadNotification(lead({ name: "Иван", phone: "123", message: "Текст" }))).toEqual([
      `${TITLE}\n${SEP}\n👤 Имя: Иван\n📞 Телефон: 123\n\n💬 Сообщение:\nТекст`,
    ]);
  });

  it("joins only the footer parts present", () => {
    expect(formatLeadNotification(lead({ name: "Иван", page: "/x" }))).toEqual([
      `${TITLE}\n${SEP}\n👤 Имя: Иван\n\n${SEP}\n🔗 страница: /x`,
    ]);
    expect(formatLeadNotification(lead({ email: "a@b.c", utm_source: "ya", device: "mobile" }))).toEqual([
      `${TITLE}\n${SEP}\n📧 Email: a@b.c\n\n${SEP}\n🔗 utm_source: ya | устройство: mobile`,
    ]);
  });

  it("treats undefined, empty and whitespace-only values as absent", () => {
    const parts = formatLeadNotification(
      lead({ name: "", email: "  ", phone: "\n\t", company: undefined, message: "\r\n", page: " " }, { blank: " " }),
    );
    expect(parts).toEqual([`${TITLE}\n${SEP}\n${EMPTY_LEAD_LINE}`]);
  });

  it("renders a lead with no field at all as title, separator and a placeholder line", () => {
    expect(formatLeadNotification(lead({}))).toEqual([`${TITLE}\n${SEP}\n${EMPTY_LEAD_LINE}`]);
    expect(formatLeadNotification(lead({ device: "desktop" }))).toEqual([
      `${TITLE}\n${SEP}\n${EMPTY_LEAD_LINE}\n\n${SEP}\n🔗 устройство: desktop`,
    ]);
  });

  const labelled: [KnownLeadField, string][] = [
    ["name", "👤 Имя: V"],
    ["email", "📧 Email: V"],
    ["phone", "📞 Телефон: V"],
    ["company", "🏢 Компания: V"],
    ["message", "💬 Сообщение:\nV"],
    ["utm_medium", "📎 Дополнительно:\n• utm_medium: V"],
    ["utm_campaign", "📎 Дополнительно:\n• utm_campaign: V"],
    ["utm_term", "📎 Дополнительно:\n• utm_term: V"],
    ["utm_content", "📎 Дополнительно:\n• utm_content: V"],
    ["referrer", "📎 Дополнительно:\n• referrer: V"],
  ];
  it.each(labelled)("renders a lead with only %s", (field, line) => {
    expect(formatLeadNotification(lead({ [field]: "V" }))).toEqual([`${TITLE}\n${SEP}\n${line}`]);
  });

  it.each([
    ["utm_source", "utm_source: V"],
    ["page", "страница: V"],
    ["device", "устройство: V"],
  ] as [KnownLeadField, string][])("renders a lead with only the footer field %s", (field, footer) => {
    expect(formatLeadNotification(lead({ [field]: "V" }))).toEqual([
      `${TITLE}\n${SEP}\n${EMPTY_LEAD_LINE}\n\n${SEP}\n🔗 ${footer}`,
    ]);
  });

  it("lists the other utm fields, referrer and extra fields in order before the closing separator", () => {
    const parts = formatLeadNotification(
      lead(
        {
          name: "Иван",
          message: "Hi",
          referrer: "https://google.com/",
          utm_content: "c",
          utm_medium: "cpc",
          utm_term: "t",
          utm_campaign: "spring",
          utm_source: "google",
        },
        { budget: "100 000 ₽", zeta: "z", alpha: "a" },
      ),
    );
    expect(parts).toEqual([
      [
        TITLE,
        SEP,
        "👤 Имя: Иван",
        "",
        "💬 Сообщение:",
        "Hi",
        "",
        "📎 Дополнительно:",
        "• utm_medium: cpc",
        "• utm_campaign: spring",
        "• utm_term: t",
        "• utm_content: c",
        "• referrer: https://google.com/",
        "• budget: 100 000 ₽",
        "• zeta: z",
        "• alpha: a",
        "",
        SEP,
        "🔗 utm_source: google",
      ].join("\n"),
    ]);
  });

  it("escapes extra field names and values", () => {
    const parts = formatLeadNotification(
      lead({ email: "a@b.c" }, { "<b>": "<i>x</i>", "a&b": "1 & 2", plain: "&amp;" }),
    );
    expect(parts).toEqual([
      `${TITLE}\n${SEP}\n📧 Email: a@b.c\n\n📎 Дополнительно:\n• &lt;b&gt;: &lt;i&gt;x&lt;/i&gt;\n• a&amp;b: 1 &amp; 2\n• plain: &amp;amp;`,
    ]);
    const shown = decode(parts[0] ?? "");
    expect(shown).toContain("• <b>: <i>x</i>");
    expect(shown).toContain("• a&b: 1 & 2");
    expect(shown).toContain("• plain: &amp;");
  });

  it("keeps the line breaks of multi-line extra values, continuation lines unindented", () => {
    expect(
      formatLeadNotification(lead({ email: "a@b.c" }, { address: "Москва\r\nул. Ленина, 1\rкв. 5", x: "y" })),
    ).toEqual([
      `${TITLE}\n${SEP}\n📧 Email: a@b.c\n\n📎 Дополнительно:\n• address: Москва\nул. Ленина, 1\nкв. 5\n• x: y`,
    ]);
  });
});

describe("formatLeadNotification: escaping", () => {
  const nasty = {
    name: "<script>alert(1)</script>",
    email: "a&amp;b@example.com",
    phone: "*_[`~ <> && &lt;",
    company: "ООО \"Рога & копыта\" 'x'",
    message: "Emoji 👩‍💻🇷🇺😀 and RTL שלום עליכם مرحبا\nline two &#60; &quot; <b>bold?</b>\n\ttab",
    utm_source: "<img src=x onerror=alert(1)>",
    page: "/a?b=1&c=2",
    device: "📱",
    utm_medium: "&nbsp;",
    referrer: "https://x.y/?q=<>&",
  };

  it("delivers every value exactly as typed once Telegram parses the HTML", () => {
    const extra = { "<b>": "</b>", "a&b": "&&&", "emoji 🎉": "🎉" };
    const parts = formatLeadNotification(lead(nasty, extra));
    expect(parts).toHaveLength(1);
    assertWellFormed(parts);
    const shown = decode(parts[0] ?? "");
    for (const value of [...Object.values(nasty), ...Object.keys(extra), ...Object.values(extra)]) {
      expect(shown).toContain(value);
    }
    expect(shown).toContain("👤 Имя: <script>alert(1)</script>\n");
    expect(parts[0]).toContain("👤 Имя: &lt;script&gt;alert(1)&lt;/script&gt;\n");
  });

  it("does not escape quotes", () => {
    expect(escapeTelegramHtml(`"'`)).toBe(`"'`);
    expect(escapeTelegramHtml("<&>")).toBe("&lt;&amp;&gt;");
  });

  it("normalises \\r\\n and \\r to \\n", () => {
    const parts = formatLeadNotification(lead({ name: "A\r\nB", message: "one\r\ntwo\rthree\r\n\r\nfour" }));
    expect(parts).toEqual([`${TITLE}\n${SEP}\n👤 Имя: A\nB\n\n💬 Сообщение:\none\ntwo\nthree\n\nfour`]);
    expect(parts[0]).not.toContain("\r");
  });

  it("keeps surrounding spaces as typed and replaces lone surrogates, which Telegram cannot take", () => {
    expect(formatLeadNotification(lead({ name: "  Иван  ", message: "a\uD83Db\uDE00c😀" }))).toEqual([
      `${TITLE}\n${SEP}\n👤 Имя:   Иван  \n\n💬 Сообщение:\na\uFFFDb\uFFFDc😀`,
    ]);
  });
});

describe("visibleLength", () => {
  it("counts UTF-16 code units after stripping tags and decoding entities", () => {
    expect(visibleLength("abc")).toBe(3);
    expect(visibleLength("&amp;&lt;&gt;&quot;")).toBe(4);
    expect(visibleLength("<b>bold</b>")).toBe(4);
    expect(visibleLength("😀")).toBe(2);
    expect(visibleLength("&#128512;&#x41;")).toBe(3);
    expect(visibleLength("a & b")).toBe(5);
  });
});

describe("formatLeadNotification: splitting", () => {
  const header = lead({ name: "Иван", email: "ivan@example.com", utm_source: "google", page: "/p", device: "desktop" });
  const withMessage = (message: string, extra: Record<string, string> = {}) => ({ ...header, message, extra });

  it("keeps a notification of exactly the limit in one message, and splits one char more", () => {
    const base = renderLeadNotification(withMessage("")).length;
    const exact = formatLeadNotification(
      withMessage("x".repeat(TELEGRAM_TEXT_LIMIT - base - "\n\n💬 Сообщение:\n".length)),
    );
    expect(exact).toHaveLength(1);
    expect(visibleLength(exact[0] ?? "")).toBe(TELEGRAM_TEXT_LIMIT);
    const over = formatLeadNotification(
      withMessage("x".repeat(TELEGRAM_TEXT_LIMIT - base - "\n\n💬 Сообщение:\n".length + 1)),
    );
    expect(over).toHaveLength(2);
    assertWellFormed(over);
  });

  it("splits a 5 000-char message into 2 parts at line boundaries, reproducing the text in order", () => {
    const lead5k = withMessage(paragraphs(5000));
    const parts = formatLeadNotification(lead5k);
    expect(parts).toHaveLength(2);
    assertWellFormed(parts);
    expect(truncated(parts)).toBe(false);
    expect(bodies(parts).join("\n")).toBe(decode(renderLeadNotification(lead5k)));
    expect(decode(parts[1] ?? "").endsWith("🔗 utm_source: google | страница: /p | устройство: desktop")).toBe(true);
    expect(parts[1]?.startsWith("📝 Заявка (продолжение 2/2)\n")).toBe(true);
  });

  it("splits a 10 000-char message into 3 parts", () => {
    const lead10k = withMessage(paragraphs(10_000, 2));
    const parts = formatLeadNotification(lead10k);
    expect(parts).toHaveLength(3);
    assertWellFormed(parts);
    expect(truncated(parts)).toBe(false);
    expect(bodies(parts).join("\n")).toBe(decode(renderLeadNotification(lead10k)));
    expect(parts[2]?.startsWith("📝 Заявка (продолжение 3/3)\n")).toBe(true);
  });

  it("cuts a 50 000-char message to 3 parts ending with the marker", () => {
    const lead50k = withMessage(paragraphs(50_000, 3));
    const parts = formatLeadNotification(lead50k);
    expect(parts).toHaveLength(3);
    assertWellFormed(parts);
    expect(truncated(parts)).toBe(true);
    for (const part of parts) expect(visibleLength(part)).toBeGreaterThan(TELEGRAM_TEXT_LIMIT - 600);
    const full = decode(renderLeadNotification(lead50k));
    expect(full.startsWith(bodies(parts).join("\n"))).toBe(true);
    expect(
      decode(parts[2] ?? "")
        .split("\n")
        .at(-1),
    ).toBe(TRUNCATION_MARKER);
  });

  it("moves a line that fits a message whole into the next part rather than breaking it", () => {
    const long = "б".repeat(3000);
    const parts = formatLeadNotification(withMessage(`${"а".repeat(3000)}\n${long}`));
    expect(parts).toHaveLength(2);
    assertWellFormed(parts);
    expect(bodies(parts)[1]?.startsWith(`${long}\n`)).toBe(true);
  });

  it("splits a single line longer than the limit at a space near the limit", () => {
    const words = Array.from({ length: 1500 }, (_, i) => `w${i}`).join(" ");
    const leadWords = withMessage(words);
    const parts = formatLeadNotification(leadWords);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    assertWellFormed(parts);
    const texts = bodies(parts);
    // Broken at a space: no word is cut in two, and the first part is nearly full.
    expect(visibleLength(parts[0] ?? "")).toBeGreaterThan(TELEGRAM_TEXT_LIMIT - 500);
    expect(texts[0]?.endsWith(" ")).toBe(false);
    expect(texts[0]?.split(" ").at(-1)).toMatch(/^w\d+$/);
    expect(texts[1]).toMatch(/^w\d+ /);
    const rejoined = texts.join(" ").replace(/\s+/g, " ");
    expect(rejoined).toBe(decode(renderLeadNotification(leadWords)).replace(/\s+/g, " "));
  });

  it("hard-splits a single line without spaces and rebuilds it exactly", () => {
    const line = Array.from({ length: 11_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
    const parts = formatLeadNotification(lead({ message: line }));
    expect(parts).toHaveLength(3);
    assertWellFormed(parts);
    expect(truncated(parts)).toBe(false);
    // The label line is too short to be worth a part of its own: the line starts in part 1.
    expect(bodies(parts).join("")).toBe(decode(renderLeadNotification(lead({ message: line }))));
  });

  it("cuts a 20 000-char line without spaces with the marker", () => {
    const parts = formatLeadNotification(withMessage("z".repeat(20_000)));
    expect(parts).toHaveLength(3);
    assertWellFormed(parts);
    expect(truncated(parts)).toBe(true);
    for (const part of parts) expect(visibleLength(part)).toBeGreaterThan(TELEGRAM_TEXT_LIMIT - 100);
  });

  it("measures visible length, not escaped length: 5 000 `&` take 2 parts, not 7", () => {
    const leadAmp = withMessage("&".repeat(5000));
    const parts = formatLeadNotification(leadAmp);
    expect(parts).toHaveLength(2);
    assertWellFormed(parts);
    expect(parts[0]?.length).toBeGreaterThan(TELEGRAM_TEXT_LIMIT);
    expect(bodies(parts).join("")).toBe(decode(renderLeadNotification(leadAmp)));
  });

  it("never breaks an entity whatever the split point", () => {
    for (let offset = 0; offset < 6; offset += 1) {
      const leadMixed = withMessage(`${"x".repeat(offset)}${"<&>".repeat(3000)}`);
      const parts = formatLeadNotification(leadMixed);
      assertWellFormed(parts);
      expect(bodies(parts).join("")).toBe(decode(renderLeadNotification(leadMixed)));
    }
  });

  it("never splits a surrogate pair whatever the split point", () => {
    for (let offset = 0; offset < 4; offset += 1) {
      const leadEmoji = withMessage(`${"x".repeat(offset)}${"😀".repeat(3000)}`);
      const parts = formatLeadNotification(leadEmoji);
      expect(parts).toHaveLength(2);
      assertWellFormed(parts);
      expect(bodies(parts).join("")).toBe(decode(renderLeadNotification(leadEmoji)));
    }
  });

  it("truncates an emoji-only line without leaving half a pair before the marker", () => {
    for (let offset = 0; offset < 2; offset += 1) {
      const parts = formatLeadNotification(withMessage(`${"x".repeat(offset)}${"🇷🇺".repeat(8000)}`));
      expect(parts).toHaveLength(3);
      assertWellFormed(parts);
      expect(truncated(parts)).toBe(true);
    }
  });

  it("drops a remainder that is only whitespace instead of sending a blank part", () => {
    const parts = formatLeadNotification(lead({ message: `${"y".repeat(3900)}\n${" \n".repeat(200)}` }));
    expect(parts).toHaveLength(1);
    assertWellFormed(parts);
    expect(
      decode(parts[0] ?? "")
        .trimEnd()
        .endsWith("y"),
    ).toBe(true);
  });

  it("splits long extra fields and contact fields too", () => {
    const leadExtra = lead(
      { name: "N".repeat(5000), email: "e@x.y" },
      { notes: paragraphs(4000, 9), "a&b": "&".repeat(100) },
    );
    const parts = formatLeadNotification(leadExtra);
    expect(parts).toHaveLength(3);
    assertWellFormed(parts);
    expect(truncated(parts)).toBe(false);
    expect(bodies(parts).join("").replace(/\s+/g, "")).toBe(
      decode(renderLeadNotification(leadExtra)).replace(/\s+/g, ""),
    );
  });

  it("fills the parts rather than keeping lines whole when whole lines would cost content", () => {
    // Four lines of 2 500: kept whole, one line a part, the fourth is cut; filled, all fit in 3.
    const leadLines = lead({ message: ["a", "b", "c", "d"].map((c) => c.repeat(2500)).join("\n") });
    const parts = formatLeadNotification(leadLines);
    expect(parts).toHaveLength(3);
    assertWellFormed(parts);
    expect(truncated(parts)).toBe(false);
    expect(bodies(parts).join("").replace(/\n/g, "")).toBe(
      decode(renderLeadNotification(leadLines)).replace(/\n/g, ""),
    );
  });
});

describe("formatLeadNotification: random leads", () => {
  const alphabet = [
    ..."abcйцу  \n\n\r\t&<>\"';*_[`~",
    "&amp;",
    "😀",
    "👩‍💻",
    "🇷🇺",
    "שלום",
    "\r\n",
    "\uD83D",
    "x".repeat(40),
  ];
  const fieldNames: readonly KnownLeadField[] = KNOWN_LEAD_FIELDS;

  it("always yields 1 to 3 non-blank, well-formed parts within the limit", () => {
    const random = mulberry32(20240501);
    const text = (max: number) => {
      const length = Math.floor(random() ** 3 * max);
      let out = "";
      while (out.length < length) out += alphabet[Math.floor(random() * alphabet.length)] ?? "";
      return out;
    };
    let splitCount = 0;
    let truncatedCount = 0;
    for (let i = 0; i < 400; i += 1) {
      const fields: Partial<Record<KnownLeadField, string>> = {};
      for (const field of fieldNames) if (random() < 0.5) fields[field] = text(field === "message" ? 40_000 : 3000);
      const extra: Record<string, string> = {};
      const extraCount = Math.floor(random() * 4);
      for (let j = 0; j < extraCount; j += 1) extra[`${text(20)}#${j}`] = text(6000);
      const randomLead = lead(fields, extra);

      const parts = formatLeadNotification(randomLead);
      assertWellFormed(parts);
      const full = decode(renderLeadNotification(randomLead)).replace(/\s+/g, "");
      const carried = bodies(parts).join("").replace(/\s+/g, "");
      if (truncated(parts)) {
        truncatedCount += 1;
        expect(parts).toHaveLength(MAX_PARTS);
        expect(full.startsWith(carried)).toBe(true);
      } else {
        expect(carried).toBe(full);
      }
      if (parts.length > 1) splitCount += 1;
    }
    // The generator does exercise splitting and truncation.
    expect(splitCount).toBeGreaterThan(20);
    expect(truncatedCount).toBeGreaterThan(5);
  });
});
