import { describe, expect, it } from "vitest";
import { memberSchema, tenantSchema } from "@/lib/schemas/tenant";
import { addMember, api, registerOwner, uniqueEmail } from "../support/api-client";

describe("GET /api/v1/tenant", () => {
  it("returns the caller's site with the contract's fields", async () => {
    const owner = await registerOwner("Магазин");
    const response = await api("GET", "/api/v1/tenant", { token: owner.token });
    expect(response.status).toBe(200);
    expect(tenantSchema.parse(response.body)).toEqual({
      id: owner.tenantId,
      name: "Магазин",
      site_key: owner.siteKey,
      allowed_origins: [],
      only_members_may_press: false,
    });
  });

  it("is readable by a member", async () => {
    const owner = await registerOwner();
    const member = await addMember(owner, "member");
    const response = await api("GET", "/api/v1/tenant", { token: member.token });
    expect(response.status).toBe(200);
    expect((response.body as { id: string }).id).toBe(owner.tenantId);
  });
});

describe("PATCH /api/v1/tenant", () => {
  it("renames the site and normalises allowed origins", async () => {
    const owner = await registerOwner();
    const response = await api("PATCH", "/api/v1/tenant", {
      token: owner.token,
      body: {
        name: "New name",
        allowed_origins: ["https://shop.example.com", "http://localhost:8080/", "https://shop.example.com"],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: "New name",
      allowed_origins: ["https://shop.example.com", "http://localhost:8080"],
    });
    const reread = await api("GET", "/api/v1/tenant", { token: owner.token });
    expect(reread.body).toEqual(response.body);
  });

  it("lets an admin change settings but refuses a member with 403", async () => {
    const owner = await registerOwner();
    const admin = await addMember(owner, "admin");
    const member = await addMember(owner, "member");
    expect((await api("PATCH", "/api/v1/tenant", { token: admin.token, body: { name: "By admin" } })).status).toBe(200);
    const refused = await api("PATCH", "/api/v1/tenant", { token: member.token, body: { name: "By member" } });
    expect(refused.status).toBe(403);
    expect(typeof (refused.body as { detail: unknown }).detail).toBe("string");
    expect(((await api("GET", "/api/v1/tenant", { token: owner.token })).body as { name: string }).name).toBe(
      "By admin",
    );
  });

  it("answers 422 for origins with paths, bad schemes and unknown fields", async () => {
    const owner = await registerOwner();
    for (const body of [
      { allowed_origins: ["https://example.com/form"] },
      { allowed_origins: ["ftp://example.com"] },
      { allowed_origins: "https://x.com" },
      { site_key: "mine" },
      { name: "" },
    ]) {
      const response = await api("PATCH", "/api/v1/tenant", { token: owner.token, body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(Array.isArray((response.body as { detail: unknown }).detail)).toBe(true);
    }
  });
});

describe("POST /api/v1/tenant/members", () => {
  it("creates a user with a role who can then get a token for this site", async () => {
    const owner = await registerOwner();
    const email = uniqueEmail("admin");
    const response = await api("POST", "/api/v1/tenant/members", {
      token: owner.token,
      body: { email, password: "admin password", role: "admin" },
    });
    expect(response.status).toBe(201);
    expect(memberSchema.parse(response.body)).toMatchObject({ email, role: "admin" });
    const token = await api("POST", "/api/v1/auth/token", { body: { email, password: "admin password" } });
    const tenant = await api("GET", "/api/v1/tenant", { token: (token.body as { access_token: string }).access_token });
    expect((tenant.body as { id: string }).id).toBe(owner.tenantId);
  });

  it("answers 409 for an email that already has an account", async () => {
    const owner = await registerOwner();
    const other = await registerOwner();
    const response = await api("POST", "/api/v1/tenant/members", {
      token: owner.token,
      body: { email: other.email, password: "whatever123", role: "member" },
    });
    expect(response.status).toBe(409);
    expect(response.body).toEqual({ detail: "Email already registered", code: "email_taken" });
  });

  it("refuses members (403) and lets only a site owner create another site owner", async () => {
    const owner = await registerOwner();
    const admin = await addMember(owner, "admin");
    const member = await addMember(owner, "member");
    const byMember = await api("POST", "/api/v1/tenant/members", {
      token: member.token,
      body: { email: uniqueEmail(), password: "password123", role: "member" },
    });
    expect(byMember.status).toBe(403);
    const escalation = await api("POST", "/api/v1/tenant/members", {
      token: admin.token,
      body: { email: uniqueEmail(), password: "password123", role: "site_owner" },
    });
    expect(escalation.status).toBe(403);
    expect(
      (
        await api("POST", "/api/v1/tenant/members", {
          token: admin.token,
          body: { email: uniqueEmail(), password: "password123", role: "member" },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api("POST", "/api/v1/tenant/members", {
          token: owner.token,
          body: { email: uniqueEmail(), password: "password123", role: "site_owner" },
        })
      ).status,
    ).toBe(201);
  });

  it("answers 422 for an unknown role or a short password", async () => {
    const owner = await registerOwner();
    for (const body of [
      { email: uniqueEmail(), password: "password123", role: "superuser" },
      { email: uniqueEmail(), password: "short", role: "member" },
    ]) {
      expect((await api("POST", "/api/v1/tenant/members", { token: owner.token, body })).status).toBe(422);
    }
  });
});

describe("tenant isolation", () => {
  it("never shows or changes tenant B to a user of tenant A", async () => {
    const a = await registerOwner("Site A");
    const b = await registerOwner("Site B");
    const seenByA = await api("GET", "/api/v1/tenant", { token: a.token });
    expect((seenByA.body as { id: string }).id).toBe(a.tenantId);
    expect(JSON.stringify(seenByA.body)).not.toContain(b.siteKey);

    await api("PATCH", "/api/v1/tenant", {
      token: a.token,
      body: { name: "Changed by A", allowed_origins: ["https://a.example"] },
    });
    const seenByB = await api("GET", "/api/v1/tenant", { token: b.token });
    expect(seenByB.body).toEqual({
      id: b.tenantId,
      name: "Site B",
      site_key: b.siteKey,
      allowed_origins: [],
      only_members_may_press: false,
    });
  });

  it("puts a member created by A only into A", async () => {
    const a = await registerOwner();
    const b = await registerOwner();
    const member = await addMember(a, "admin");
    const tenant = await api("GET", "/api/v1/tenant", { token: member.token });
    expect((tenant.body as { id: string }).id).toBe(a.tenantId);
    expect((tenant.body as { id: string }).id).not.toBe(b.tenantId);
  });
});

describe("/api/v1/tokens", () => {
  it("creates a token shown once, lists it by prefix, and revoking it locks it out", async () => {
    const owner = await registerOwner();
    const created = await api("POST", "/api/v1/tokens", { token: owner.token, body: { name: "CRM sync" } });
    expect(created.status).toBe(201);
    const { id, token, prefix } = created.body as { id: string; token: string; prefix: string };
    expect(token.startsWith(prefix)).toBe(true);
    expect((await api("GET", "/api/v1/tenant", { token })).status).toBe(200);

    const listed = await api("GET", "/api/v1/tokens", { token: owner.token });
    const items = (listed.body as { items: { id: string; name: string; revoked_at: string | null }[] }).items;
    expect(items.find((item) => item.id === id)).toMatchObject({ name: "CRM sync", revoked_at: null });
    expect(JSON.stringify(listed.body)).not.toContain(token);

    expect((await api("DELETE", `/api/v1/tokens/${id}`, { token: owner.token })).status).toBe(204);
    expect((await api("GET", "/api/v1/tenant", { token })).status).toBe(401);
  });

  it("keeps tokens to their site and refuses members", async () => {
    const owner = await registerOwner();
    const other = await registerOwner();
    const member = await addMember(owner, "member");
    const created = await api("POST", "/api/v1/tokens", { token: owner.token, body: { name: "x" } });
    const id = (created.body as { id: string }).id;
    expect((await api("DELETE", `/api/v1/tokens/${id}`, { token: other.token })).status).toBe(404);
    expect(JSON.stringify((await api("GET", "/api/v1/tokens", { token: other.token })).body)).not.toContain(id);
    expect((await api("GET", "/api/v1/tokens", { token: member.token })).status).toBe(403);
    expect((await api("POST", "/api/v1/tokens", { token: owner.token, body: { name: "" } })).status).toBe(422);
  });
});
