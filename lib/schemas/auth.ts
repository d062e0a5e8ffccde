import { z } from "zod";
import { text } from "./text";

export const ROLES = ["site_owner", "admin", "member"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Roles that may change settings; `member` reads leads only. */
export const MANAGER_ROLES = ["site_owner", "admin"] as const satisfies readonly Role[];

const email = z
  .email({ message: "value is not a valid email address" })
  .max(254)
  .transform((value) => value.toLowerCase());

export const passwordSchema = z.string().min(8, { message: "String should have at least 8 characters" }).max(256);

/** A site's name, at sign-up and when renamed. */
export const siteNameSchema = text().trim().min(1).max(200);

export const registerRequestSchema = z.object({
  email,
  password: passwordSchema,
  site_name: siteNameSchema,
});
export type RegisterRequest = z.input<typeof registerRequestSchema>;

export const registerResponseSchema = z.object({
  user: z.object({ id: z.string(), email: z.string() }),
  tenant: z.object({ id: z.string(), name: z.string(), site_key: z.string() }),
  role: roleSchema,
});
export type RegisterResponse = z.infer<typeof registerResponseSchema>;

export const tokenRequestSchema = z.object({
  email: text().max(254),
  password: z.string().max(256),
});

export const tokenResponseSchema = z.object({ access_token: z.string(), token_type: z.literal("bearer") });
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const signInSchema = z.object({ email: text().max(254), password: z.string().max(256) });

export const changePasswordSchema = z.object({
  current_password: z.string().min(1).max(256),
  new_password: passwordSchema,
});
export type ChangePasswordRequest = z.input<typeof changePasswordSchema>;
