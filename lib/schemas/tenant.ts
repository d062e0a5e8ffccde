import { z } from "zod";
import { passwordSchema, roleSchema, siteNameSchema } from "./auth";
import { telegramAccountSchema } from "./telegram-account";
import { text } from "./text";

/** An origin as browsers send it in the Origin header: scheme://host[:port], nothing else. */
export const originSchema = z
  .string()
  .trim()
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value.replace(/\/$/, "");
      } catch {
        return false;
      }
    },
    { message: "must be an origin such as https://example.com (scheme, host and optional port only)" },
  )
  .transform((value) => new URL(value).origin);

export const tenantSchema = z.object({
  id: z.string(),
  name: z.string(),
  site_key: z.string(),
  allowed_origins: z.array(z.string()),
  /** Presses of the notification buttons only from members' linked Telegram accounts. */
  only_members_may_press: z.boolean(),
});
export type TenantDto = z.infer<typeof tenantSchema>;

/** How many origins a site may allow. */
export const MAX_ALLOWED_ORIGINS = 50;

export const updateTenantSchema = z
  .object({
    name: siteNameSchema.optional(),
    allowed_origins: z.array(originSchema).max(MAX_ALLOWED_ORIGINS).optional(),
    only_members_may_press: z.boolean().optional(),
  })
  .strict();
export type UpdateTenantRequest = z.input<typeof updateTenantSchema>;

export const createMemberSchema = z.object({
  email: z
    .email({ message: "value is not a valid email address" })
    .max(254)
    .transform((value) => value.toLowerCase()),
  password: passwordSchema,
  role: roleSchema,
});
export type CreateMemberRequest = z.input<typeof createMemberSchema>;

export const memberSchema = z.object({ user_id: z.string(), email: z.string(), role: roleSchema });
export type MemberDto = z.infer<typeof memberSchema>;

/**
 * A row of GET /api/v1/tenant/members. `telegram` is the Telegram account the member linked
 * (null when none). `created_at` is when they joined.
 */
export const memberListItemSchema = memberSchema.extend({
  telegram: telegramAccountSchema.nullable(),
  created_at: z.string(),
});
export type MemberListItem = z.infer<typeof memberListItemSchema>;
export const memberListSchema = z.array(memberListItemSchema);

export const updateMemberSchema = z.object({ role: roleSchema }).strict();
export type UpdateMemberRequest = z.input<typeof updateMemberSchema>;

export const createApiTokenSchema = z.object({ name: text().trim().min(1).max(100) });
/** The site-name form: the rename part of updateTenantSchema, required. */
export const renameTenantSchema = z.object({ name: siteNameSchema });
/** The add-origin form: one origin, as the list's entries are checked. */
export const addOriginSchema = z.object({ origin: originSchema });
export type CreateApiTokenRequest = z.input<typeof createApiTokenSchema>;

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export type ApiTokenDto = z.infer<typeof apiTokenSchema>;
export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) });
/** Only the answer to creating a token carries the token itself. */
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;
