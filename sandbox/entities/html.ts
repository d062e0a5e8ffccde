import type { MessageEntity } from "grammy/types";
import { EntityParseError, UnsupportedParseModeError, type FormattedText } from "./formatted-text";

/*
 * The Bot API's "HTML style" parse mode, written from its public documentation
 * (https://core.telegram.org/bots/api#formatting-options) and from what Telegram answers.
 *
 * The input is read once, left to right. Text is copied to the output with the four named
 * entities and numeric character references decoded; every supported start tag pushes an
 * element recording where its content starts in the output, and the matching end tag pops it
 * and emits a MessageEntity spanning that content. Offsets are UTF-16 code units (JavaScript
 * string indices); error positions are UTF-8 byte offsets of the tag's "<" in the input.
 */

type Attributes = ReadonlyMap<string, string>;

interface OpenElement {
  /** Lower-cased tag name, for matching the end tag. */
  readonly tag: string;
  /** Output offset (UTF-16) where the element's content starts. */
  readonly start: number;
  /** Order of the start tag, so that equal ranges list the outer entity first. */
  readonly seq: number;
  /** Builds the entity once the content is known; undefined emits nothing. */
  readonly build: (offset: number, length: number, element: OpenElement) => MessageEntity | undefined;
  /** Inside code or pre: Telegram keeps no formatting there. */
  readonly inCode: boolean;
  /** Set by a <code class="language-…"> directly inside a <pre>. */
  language?: string;
}

const FORMATTING_TAGS: Readonly<Record<string, "bold" | "italic" | "underline" | "strikethrough" | "spoiler">> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
};

const OTHER_TAGS = new Set(["span", "a", "code", "pre", "blockquote", "tg-emoji"]);

const isSupportedTag = (tag: string): boolean => tag in FORMATTING_TAGS || OTHER_TAGS.has(tag);

const TAG_NAME = /[A-Za-z0-9-]*/y;
const ATTRIBUTE_NAME = /[A-Za-z0-9_:-]*/y;
const UNQUOTED_VALUE = /[^\s>"']*/y;
const WHITESPACE = /\s*/y;
const CHARACTER_REFERENCE = /&(?:#([0-9]{1,8})|#[xX]([0-9A-Fa-f]{1,8})|(lt|gt|amp|quot));/y;

const NAMED_REFERENCES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** Matches a sticky pattern at `index`; returns the match (possibly empty) or undefined. */
function matchAt(pattern: RegExp, input: string, index: number): RegExpExecArray | undefined {
  pattern.lastIndex = index;
  return pattern.exec(input) ?? undefined;
}

/**
 * Decodes `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&#NNN;` and `&#xHH;` at `index` (which holds "&").
 * Anything else, including unknown names and invalid code points, is not a reference: Telegram
 * keeps such text literally.
 */
function characterReferenceAt(input: string, index: number): { text: string; end: number } | undefined {
  const match = matchAt(CHARACTER_REFERENCE, input, index);
  if (match === undefined) {
    return undefined;
  }
  const [whole, decimal, hex, name] = match;
  if (name !== undefined) {
    return { text: NAMED_REFERENCES[name]!, end: index + whole.length };
  }
  const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16);
  const valid = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
  return valid ? { text: String.fromCodePoint(codePoint), end: index + whole.length } : undefined;
}

function decodeCharacterReferences(raw: string): string {
  let decoded = "";
  let index = 0;
  while (index < raw.length) {
    const amp = raw.indexOf("&", index);
    if (amp === -1) {
      break;
    }
    const reference = characterReferenceAt(raw, amp);
    decoded += raw.slice(index, amp) + (reference?.text ?? "&");
    index = reference?.end ?? amp + 1;
  }
  return decoded + raw.slice(index);
}

/** A link target Telegram turns into a text_link: http(s) with a host, or tg://. */
function linkTarget(href: string | undefined): string | undefined {
  const candidate = href?.trim() ?? "";
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (url.protocol === "tg:") {
    return candidate;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" ? candidate : undefined;
}

class HtmlParser {
  private output = "";
  private readonly open: OpenElement[] = [];
  private readonly entities: { entity: MessageEntity; seq: number }[] = [];
  private tagCount = 0;

  constructor(private readonly input: string) {}

  parse(): FormattedText {
    const { input } = this;
    let index = 0;
    while (index < input.length) {
      const special = this.nextSpecial(index);
      this.output += input.slice(index, special);
      if (special === input.length) {
        break;
      }
      if (input.charAt(special) === "&") {
        const reference = characterReferenceAt(input, special);
        this.output += reference?.text ?? "&";
        index = reference?.end ?? special + 1;
      } else if (input.charAt(special + 1) === "/") {
        index = this.readEndTag(special);
      } else {
        index = this.readStartTag(special);
      }
    }
    const unclosed = this.open.at(-1);
    if (unclosed !== undefined) {
      throw new EntityParseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
    }
    const entities = this.entities
      .sort((a, b) => a.entity.offset - b.entity.offset || b.entity.length - a.entity.length || a.seq - b.seq)
      .map(({ entity }) => entity);
    return { text: this.output, entities };
  }

  private nextSpecial(from: number): number {
    const { input } = this;
    for (let index = from; index < input.length; index += 1) {
      const unit = input.charAt(index);
      if (unit === "<" || unit === "&") {
        return index;
      }
    }
    return input.length;
  }

  private byteOffset(index: number): number {
    return Buffer.byteLength(this.input.slice(0, index), "utf8");
  }

  private fail(message: string, index: number): never {
    throw new EntityParseError(`${message} at byte offset ${this.byteOffset(index)}`);
  }

  private skipWhitespace(index: number): number {
    return index + matchAt(WHITESPACE, this.input, index)![0].length;
  }

  /** Reads `<name attr="value" …>` starting at `lt`; returns the index after ">". */
  private readStartTag(lt: number): number {
    const { input } = this;
    const rawName = matchAt(TAG_NAME, input, lt + 1)![0];
    const tag = rawName.toLowerCase();
    if (!isSupportedTag(tag)) {
      this.fail(`Unsupported start tag "${tag}"`, lt);
    }

    const attributes = new Map<string, string>();
    let index = lt + 1 + rawName.length;
    for (;;) {
      index = this.skipWhitespace(index);
      if (index >= input.length) {
        this.fail("Unclosed start tag", lt);
      }
      if (input.charAt(index) === ">") {
        break;
      }
      const rawAttribute = matchAt(ATTRIBUTE_NAME, input, index)![0];
      if (rawAttribute === "") {
        this.fail("Unexpected end of name token", index);
      }
      index = this.skipWhitespace(index + rawAttribute.length);
      let value = "";
      if (input.charAt(index) === "=") {
        index = this.skipWhitespace(index + 1);
        const quote = input.charAt(index);
        if (quote === '"' || quote === "'") {
          const closing = input.indexOf(quote, index + 1);
          if (closing === -1) {
            this.fail("Unclosed start tag", lt);
          }
          value = decodeCharacterReferences(input.slice(index + 1, closing));
          index = closing + 1;
        } else {
          const raw = matchAt(UNQUOTED_VALUE, input, index)![0];
          value = decodeCharacterReferences(raw);
          index += raw.length;
        }
      }
      const attribute = rawAttribute.toLowerCase();
      if (!attributes.has(attribute)) {
        attributes.set(attribute, value);
      }
    }

    this.openElement(tag, attributes, lt);
    return index + 1;
  }

  private openElement(tag: string, attributes: Attributes, lt: number): void {
    const parent = this.open.at(-1);
    const inCode = parent !== undefined && (parent.inCode || parent.tag === "code" || parent.tag === "pre");
    const inBlockquote = this.open.some((element) => element.tag === "blockquote");
    const element = {
      tag,
      start: this.output.length,
      seq: this.tagCount++,
      inCode,
      build: this.builderFor(tag, attributes, lt),
    };

    if (tag === "code" && parent?.tag === "pre") {
      // <pre><code class="language-x"> is how a pre block gets its language; no separate code entity.
      const language = attributes.get("class") ?? "";
      if (language.startsWith("language-") && parent.language === undefined) {
        parent.language = language.slice("language-".length);
      }
      this.open.push({ ...element, inCode: true, build: () => undefined });
    } else if (inCode || (tag === "blockquote" && inBlockquote)) {
      // Telegram drops formatting inside code and pre, and blockquotes cannot be nested.
      this.open.push({ ...element, build: () => undefined });
    } else {
      this.open.push(element);
    }
  }

  private builderFor(tag: string, attributes: Attributes, lt: number): OpenElement["build"] {
    const formatting = FORMATTING_TAGS[tag];
    if (formatting !== undefined) {
      return (offset, length) => ({ type: formatting, offset, length });
    }
    switch (tag) {
      case "span":
        if (attributes.get("class") !== "tg-spoiler") {
          this.fail('Tag "span" must have class "tg-spoiler"', lt);
        }
        return (offset, length) => ({ type: "spoiler", offset, length });
      case "a": {
        const url = linkTarget(attributes.get("href"));
        return (offset, length) => (url === undefined ? undefined : { type: "text_link", offset, length, url });
      }
      case "code":
        return (offset, length) => ({ type: "code", offset, length });
      case "pre":
        // Built when the element closes, after a nested <code class> may have set its language.
        return (offset, length, { language }) =>
          language ? { type: "pre", offset, length, language } : { type: "pre", offset, length };
      case "blockquote": {
        const type = attributes.has("expandable") ? "expandable_blockquote" : "blockquote";
        return (offset, length) => ({ type, offset, length });
      }
      case "tg-emoji": {
        const id = attributes.get("emoji-id") ?? "";
        if (!/^[1-9][0-9]{0,18}$/.test(id)) {
          throw new EntityParseError("Invalid custom emoji identifier specified");
        }
        return (offset, length) => ({ type: "custom_emoji", offset, length, custom_emoji_id: id });
      }
      default:
        throw new Error(`no builder for supported tag ${tag}`);
    }
  }

  /** Reads `</name>` starting at `lt`; returns the index after ">". */
  private readEndTag(lt: number): number {
    const { input } = this;
    const top = this.open.at(-1);
    if (top === undefined) {
      this.fail("Unexpected end tag", lt);
    }
    const rawName = matchAt(TAG_NAME, input, lt + 2)![0];
    const gt = this.skipWhitespace(lt + 2 + rawName.length);
    if (input.charAt(gt) !== ">") {
      this.fail("Unclosed end tag", lt);
    }
    const tag = rawName.toLowerCase();
    if (tag !== top.tag) {
      throw new EntityParseError(
        `Unmatched end tag at byte offset ${this.byteOffset(lt)}, expected "</${top.tag}>", found "</${tag}>"`,
      );
    }
    this.open.pop();
    const length = this.output.length - top.start;
    const entity = length > 0 ? top.build(top.start, length, top) : undefined;
    if (entity !== undefined) {
      this.entities.push({ entity, seq: top.seq });
    }
    return gt + 1;
  }
}

/** Parses a text sent with parse_mode "HTML"; throws EntityParseError as Telegram words it. */
export function parseHtml(input: string): FormattedText {
  return new HtmlParser(input).parse();
}

/**
 * Applies a sendMessage parse_mode (matched case-insensitively, as the Bot API does). Only
 * HTML and plain text are supported: Markdown modes are refused with a sandbox-specific error.
 */
export function parseMarkup(text: string, parseMode: string): FormattedText {
  switch (parseMode.toLowerCase()) {
    case "":
      return { text, entities: [] };
    case "html":
      return parseHtml(text);
    case "markdown":
    case "markdownv2":
      throw new UnsupportedParseModeError("unsupported parse_mode in this sandbox");
    default:
      throw new UnsupportedParseModeError("unsupported parse_mode");
  }
}
