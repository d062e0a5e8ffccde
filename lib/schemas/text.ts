import { z } from "zod";

/**
 * Text both databases store alike. PostgreSQL text cannot hold NUL (U+0000): a string with
 * one fails the query. A lone UTF-16 surrogate is not Unicode text at all: the PostgreSQL
 * driver writes it as one U+FFFD, SQLite as three. Settings refuse both (422, the user sees
 * which field), while a lead's fields and a chat's names are cleaned instead (cleanText):
 * the damage is invisible, and the lead is kept.
 */
export const NUL_MESSAGE = "String should not contain NUL characters";
export const LONE_SURROGATE_MESSAGE = "String should be valid Unicode (no lone surrogates)";

export const noNul = (value: string) => !value.includes("\u0000");

/** A string schema for every text a user stores through the API. */
export const text = () =>
  z
    .string()
    .refine(noNul, { message: NUL_MESSAGE })
    .refine((value) => value.isWellFormed(), { message: LONE_SURROGATE_MESSAGE });

/** NUL dropped, each lone surrogate replaced by U+FFFD. */
export const cleanText = (value: string) => value.replaceAll("\u0000", "").toWellFormed();
