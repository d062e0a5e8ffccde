import { z } from "zod";

/**
 * PostgreSQL text cannot hold NUL (U+0000): a string with one fails the query. Settings
 * refuse it (422, the user sees which field), while a lead's fields lose it silently
 * (stripNul: it is invisible, and the lead is kept).
 */
export const NUL_MESSAGE = "String should not contain NUL characters";

export const noNul = (value: string) => !value.includes("\u0000");

/** A string schema that refuses NUL, for every text a user stores through the API. */
export const text = () => z.string().refine(noNul, { message: NUL_MESSAGE });

export const stripNul = (value: string) => value.replaceAll("\u0000", "");
