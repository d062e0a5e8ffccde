import type { MessageEntity } from "grammy/types";

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/** A markup error worded as Telegram answers it, without the "can't parse entities: " prefix. */
export class EntityParseError extends Error {
  override name = "EntityParseError";
}

/** A parse_mode the sandbox refuses; the message is the description after "Bad Request: ". */
export class UnsupportedParseModeError extends Error {
  override name = "UnsupportedParseModeError";
}

/** The Bot API measures texts and entity offsets in UTF-16 code units, like JavaScript strings. */
export const utf16Length = (text: string): number => text.length;

/** Telegram lists entities by offset, longer (outer) entities first. */
export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

const TRIMMED = new Set([" ", "\t", "\n", "\r", "\f", "\v"]);

/**
 * What Telegram does to a text before sending it: carriage returns disappear and leading and
 * trailing whitespace is trimmed, with the entities moved and clipped along. Undefined when
 * nothing is left.
 */
export function finalizeText({ text, entities }: FormattedText): FormattedText | undefined {
  let first = 0;
  while (first < text.length && TRIMMED.has(text.charAt(first))) {
    first += 1;
  }
  let end = text.length;
  while (end > first && TRIMMED.has(text.charAt(end - 1))) {
    end -= 1;
  }
  if (first === end) {
    return undefined;
  }

  // newIndex[i] is where the i-th code unit of the input lands in the result.
  const newIndex = new Array<number>(text.length + 1);
  let result = "";
  for (let i = 0; i <= text.length; i += 1) {
    newIndex[i] = result.length;
    const unit = text.charAt(i);
    if (i >= first && i < end && unit !== "\r") {
      result += unit;
    }
  }

  const moved: MessageEntity[] = [];
  for (const entity of entities) {
    const from = Math.min(Math.max(entity.offset, 0), text.length);
    const to = Math.min(Math.max(entity.offset + entity.length, from), text.length);
    const offset = newIndex[from]!;
    const length = newIndex[to]! - offset;
    if (length > 0) {
      moved.push({ ...entity, offset, length });
    }
  }
  return { text: result, entities: sortEntities(moved) };
}
