import { describe, expect, it } from "vitest";
import { finalizeText, utf16Length } from "./entities/formatted-text";
import { parseHtml, parseMarkup } from "./entities/html";

const htmlError = (text: string): string => {
  try {
    parseHtml(text);
  } catch (error) {
    return (error as Error).message;
  }
  return "parsed";
};

describe("HTML parse mode", () => {
  it("strips every supported tag and maps it to its entity type", () => {
    const parsed = parseHtml(
      "<b>b</b><strong>b</strong><i>i</i><em>i</em><u>u</u><ins>u</ins><s>s</s><strike>s</strike><del>s</del>" +
        '<tg-spoiler>p</tg-spoiler><span class="tg-spoiler">p</span><code>c</code><pre>p</pre>' +
        '<a href="https://example.com/">l</a><blockquote>q</blockquote><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    );
    expect(parsed.text).toBe("bbiiuusssppcplq👍");
    expect(parsed.entities.map((entity) => [entity.type, entity.offset, entity.length])).toEqual([
      ["bold", 0, 1],
      ["bold", 1, 1],
      ["italic", 2, 1],
      ["italic", 3, 1],
      ["underline", 4, 1],
      ["underline", 5, 1],
      ["strikethrough", 6, 1],
      ["strikethrough", 7, 1],
      ["strikethrough", 8, 1],
      ["spoiler", 9, 1],
      ["spoiler", 10, 1],
      ["code", 11, 1],
      ["pre", 12, 1],
      ["text_link", 13, 1],
      ["blockquote", 14, 1],
      ["custom_emoji", 15, 2],
    ]);
  });

  it("decodes the four named entities and numeric references", () => {
    expect(parseHtml("&lt;b&gt; &amp; &quot;hi&quot; &#65;&#x42;&#X43; &#128512; &#x1F600;").text).toBe(
      '<b> & "hi" ABC 😀 😀',
    );
    expect(parseHtml("a > b").text).toBe("a > b");
  });

  it("keeps unknown or malformed entities as literal text", () => {
    expect(parseHtml("AT&T &foo; &nbsp; &apos; &lt &#; &#xZZ; &#0; &#xD800; &").text).toBe(
      "AT&T &foo; &nbsp; &apos; &lt &#; &#xZZ; &#0; &#xD800; &",
    );
  });

  it("matches tag and attribute names case-insensitively", () => {
    expect(parseHtml('<B>x</b> <StRoNg>y</STRONG> <A HREF="https://t.me/x">z</a>')).toEqual({
      text: "x y z",
      entities: [
        { type: "bold", offset: 0, length: 1 },
        { type: "bold", offset: 2, length: 1 },
        { type: "text_link", offset: 4, length: 1, url: "https://t.me/x" },
      ],
    });
  });

  it("nests entities, outer first, with offsets in UTF-16 code units", () => {
    expect(parseHtml("😀 é <b>bold <i>both</i></b><u><s>x</s></u>")).toEqual({
      text: "😀 é bold bothx",
      entities: [
        { type: "bold", offset: 5, length: 9 },
        { type: "italic", offset: 10, length: 4 },
        { type: "underline", offset: 14, length: 1 },
        { type: "strikethrough", offset: 14, length: 1 },
      ],
    });
  });

  it("reads pre languages from a nested code class and ignores classes on standalone code", () => {
    expect(parseHtml('<pre><code class="language-typescript">let a = 1;</code></pre>')).toEqual({
      text: "let a = 1;",
      entities: [{ type: "pre", offset: 0, length: 10, language: "typescript" }],
    });
    expect(parseHtml("<pre><code>x</code></pre>").entities).toEqual([{ type: "pre", offset: 0, length: 1 }]);
    expect(parseHtml('<code class="language-go">x</code>').entities).toEqual([{ type: "code", offset: 0, length: 1 }]);
  });

  it("keeps no formatting inside code and pre, but allows formatting around them", () => {
    expect(parseHtml("<pre><code>x <b>y</b></code></pre>").entities).toEqual([{ type: "pre", offset: 0, length: 3 }]);
    expect(parseHtml("<code><i>y</i></code>").entities).toEqual([{ type: "code", offset: 0, length: 1 }]);
    expect(parseHtml("<b><code>y</code></b>").entities).toEqual([
      { type: "bold", offset: 0, length: 1 },
      { type: "code", offset: 0, length: 1 },
    ]);
  });

  it("supports expandable blockquotes and drops nested ones", () => {
    expect(parseHtml("<blockquote>q</blockquote><blockquote expandable>e</blockquote>").entities).toEqual([
      { type: "blockquote", offset: 0, length: 1 },
      { type: "expandable_blockquote", offset: 1, length: 1 },
    ]);
    expect(parseHtml("<blockquote>a<blockquote>b</blockquote></blockquote>").entities).toEqual([
      { type: "blockquote", offset: 0, length: 2 },
    ]);
  });

  it("links http(s) and tg:// targets and keeps other links as plain text", () => {
    const parsed = parseHtml(
      "<a href=\"https://example.com/p?a=1&amp;b=2\">one</a> <a href='http://x.org'>two</a> " +
        '<a href="tg://user?id=42">three</a> <a href="javascript:alert(1)">four</a> <a href="example.com">five</a> <a>six</a>',
    );
    expect(parsed.text).toBe("one two three four five six");
    expect(parsed.entities).toEqual([
      { type: "text_link", offset: 0, length: 3, url: "https://example.com/p?a=1&b=2" },
      { type: "text_link", offset: 4, length: 3, url: "http://x.org" },
      { type: "text_link", offset: 8, length: 5, url: "tg://user?id=42" },
    ]);
  });

  it("drops empty entities and ignores unknown attributes", () => {
    expect(parseHtml('<b></b>x<i title="t" data-x=1>y</i>')).toEqual({
      text: "xy",
      entities: [{ type: "italic", offset: 1, length: 1 }],
    });
  });

  it("words errors like Telegram, with UTF-8 byte offsets of the tag", () => {
    expect(htmlError("<b>bold")).toBe('Can\'t find end tag corresponding to start tag "b"');
    expect(htmlError("<b><i>bold")).toBe('Can\'t find end tag corresponding to start tag "i"');
    expect(htmlError("hi <script>alert(1)</script>")).toBe('Unsupported start tag "script" at byte offset 3');
    expect(htmlError("hi <BR>")).toBe('Unsupported start tag "br" at byte offset 3');
    expect(htmlError("1 < 2")).toBe('Unsupported start tag "" at byte offset 2');
    expect(htmlError("a <")).toBe('Unsupported start tag "" at byte offset 2');
    expect(htmlError("<b><i>x</b></i>")).toBe('Unmatched end tag at byte offset 7, expected "</i>", found "</b>"');
    expect(htmlError("x</b>")).toBe("Unexpected end tag at byte offset 1");
    expect(htmlError("<b")).toBe("Unclosed start tag at byte offset 0");
    expect(htmlError('x <a href="https://t.me>y</a>')).toBe("Unclosed start tag at byte offset 2");
    expect(htmlError("<b @>x</b>")).toBe("Unexpected end of name token at byte offset 3");
  });

  it("counts byte offsets after multi-byte Cyrillic and emoji text", () => {
    expect(htmlError("Привет <script>")).toBe('Unsupported start tag "script" at byte offset 13');
    expect(htmlError("😀 <br>")).toBe('Unsupported start tag "br" at byte offset 5');
    expect(htmlError("Цена < 5")).toBe('Unsupported start tag "" at byte offset 9');
    expect(htmlError("<b>Ж</i>")).toBe('Unmatched end tag at byte offset 5, expected "</b>", found "</i>"');
    expect(htmlError("👍</b>")).toBe("Unexpected end tag at byte offset 4");
    expect(htmlError('Ёж <a href="x')).toBe("Unclosed start tag at byte offset 5");
    expect(htmlError('ы <a href="x" @>y</a>')).toBe("Unexpected end of name token at byte offset 15");
  });

  it("refuses a span without the spoiler class and a malformed custom emoji id", () => {
    expect(htmlError('<span class="x">s</span>')).toBe('Tag "span" must have class "tg-spoiler" at byte offset 0');
    expect(htmlError('<tg-emoji emoji-id="abc">x</tg-emoji>')).toBe("Invalid custom emoji identifier specified");
  });
});

describe("parse modes", () => {
  it("accepts HTML in any case and plain text, and refuses everything else", () => {
    expect(parseMarkup("<b>x</b>", "html").entities).toEqual([{ type: "bold", offset: 0, length: 1 }]);
    expect(parseMarkup("<b>x</b>", "")).toEqual({ text: "<b>x</b>", entities: [] });
    expect(() => parseMarkup("*x*", "MarkdownV2")).toThrow("unsupported parse_mode in this sandbox");
    expect(() => parseMarkup("*x*", "Markdown")).toThrow("unsupported parse_mode in this sandbox");
    expect(() => parseMarkup("x", "BBCode")).toThrow(/^unsupported parse_mode$/);
  });
});

describe("text finalisation", () => {
  it("trims whitespace, removes carriage returns and moves entities along", () => {
    const parsed = parseHtml("\n  <b> hi\r\n</b><i>there</i>  \n");
    expect(finalizeText(parsed)).toEqual({
      text: "hi\nthere",
      entities: [
        { type: "bold", offset: 0, length: 3 },
        { type: "italic", offset: 3, length: 5 },
      ],
    });
  });

  it("reports whitespace-only text as empty", () => {
    expect(finalizeText(parseHtml("<b> </b>\n"))).toBeUndefined();
    expect(finalizeText({ text: "\r\n\t ", entities: [] })).toBeUndefined();
  });

  it("measures the length after parsing and trimming, in UTF-16 code units", () => {
    const markup = `\n <b>${"я".repeat(4000)}</b>&lt;${"😀".repeat(47)}\n`;
    expect(utf16Length(markup)).toBeGreaterThan(4096);
    const text = finalizeText(parseHtml(markup))!.text;
    expect(utf16Length(text)).toBe(4000 + 1 + 94);
  });
});
