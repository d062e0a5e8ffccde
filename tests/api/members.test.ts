import { describe, expect, it } from "vitest";
import { memberListSchema } from "@/lib/schemas/tenant";
import { addMember, api, registerOwner, type Account } from "../support/api-client";
import { sessionFor, withCookie } from "../support/browser-session";

const rolesOf = async (owner: Account) => {
  const listed = await api("GET", "/api/v1/tenant/members", { token: owner.token });
  return Object.fromEntries(memberListSchema.parse(listed.body).map((member) => [member.email, member.role]));
};

describe("GET /api/v1/tenant/members", () => {
  it("lists the site's members in the contract's shape to every role, and nobody else's", async () => {
    const owner = await registerOwner();
    const admin = await addMember(owner, "admin");
    const member = await addMember(owner, "member");
    const other = await registerOwner();
    const response = await api("GET", "/api/v1/tenant/members", { token: member.token });
    expect(response.status).toBe(200);
    const members = memberListSchema.parse(response.body);
    expect(members.map(({ user_id, email, role, telegram }) => ({ user_id, email, role, telegram }))).toEqual([
      { user_id: owner.userId, email: owner.email, role: "site_owner", telegram: null },
      { user_id: admin.userId, email: admin.email, role: "admin", telegram: null },
      { user_id: member.userId, email: member.email, role: "member", telegram: null },
    ]);
    expect(JSON.stringify(response.body)).not.toContain(other.email);
  });
});

describe("PATCH /api/v1/tenant/members/<user_id>", () => {
  it("changes a role, and the new rights hold from the member's very next request", async () => {
    const owner = await registerOwner();
    const member = await addMember(owner, "member");
    expect((await api("PATCH", "/api/v1/tenant", { token: member.token, body: { name: "x" } })).status).toBe(403);

    const promoted = await api("PATCH", `/api/v1/tenant/members/${member.userId}`, {
      token: owner.token,
      body: { role: "admin" },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ user_id: member.userId, email: member.email, role: "admin", telegram: null });
    expect(
      (await api("PATCH", "/api/v1/tenant", { token: member.token, body: { name: "By the new admin" } })).status,
    ).toBe(200);
  });

  it("takes a demoted admin's rights away at once, for the API token and the session cookie", async () => {
    const owner = await registerOwner();
    const admin = await addMember(owner, "admin");
    const cookie = await sessionFor(admin);
    expect((await api("GET", "/api/v1/tokens", { token: admin.token })).status).toBe(200);
    expect((await withCookie("GET", "/api/v1/tokens", cookie)).status).toBe(200);

    expect(
      (await api("PATCH", `/api/v1/tenant/members/${admin.userId}`, { token: owner.token, body: { role: "member" } }))
        .status,
    ).toBe(200);
    expect((await api("GET", "/api/v1/tokens", { token: admin.token })).status).toBe(403);
    expect((await withCookie("GET", "/api/v1/tokens", cookie)).status).toBe(403);
    expect((await withCookie("PATCH", "/api/v1/tenant", cookie, { name: "still admin?" })).status).toBe(403);
    // Still a member: reading leads goes on.
    expect((await withCookie("GET", "/api/v1/leads", cookie)).status).toBe(200);
  });

  it("lets only a site owner change a site owner or make one", async () => {
    const owner = await registerOwner();
    const secondOwner = await addMember(owner, "site_owner");
    const admin = await addMember(owner, "admin");
    const member = await addMember(owner, "member");

    const demoteOwner = await api("PATCH", `/api/v1/tenant/members/${secondOwner.userId}`, {
      token: admin.token,
      body: { role: "member" },
    });
    expect(demoteOwner.status).toBe(403);
    expect(demoteOwner.body).toEqual({
      detail: "Only a site owner can change or remove a site owner",
      code: "forbidden",
    });
    expect(
      (
        await api("PATCH", `/api/v1/tenant/members/${member.userId}`, {
          token: admin.token,
          body: { role: "site_owner" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api("PATCH", `/api/v1/tenant/members/${admin.userId}`, {
          token: admin.token,
          body: { role: "site_owner" },
        })
      ).status,
    ).toBe(403);
    expect(
      (await api("PATCH", `/api/v1/tenant/members/${admin.userId}`, { token: member.token, body: { role: "member" } }))
        .status,
    ).toBe(403);
    // An admin manages admins and members.
    expect(
      (await api("PATCH", `/api/v1/tenant/members/${member.userId}`, { token: admin.token, body: { role: "admin" } }))
        .status,
    ).toBe(200);
    expect(
      (await api("PATCH", `/api/v1/tenant/members/${member.userId}`, { token: admin.token, body: { role: "member" } }))
        .status,
    ).toBe(200);
    // A site owner does all of it.
    expect(
      (
        await api("PATCH", `/api/v1/tenant/members/${member.userId}`, {
          token: owner.token,
          body: { role: "site_owner" },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api("PATCH", `/api/v1/tenant/members/${secondOwner.userId}`, {
          token: owner.token,
          body: { role: "admin" },
        })
      ).status,
    ).toBe(200);
    expect(await rolesOf(owner)).toEqual({
      [owner.email]: "site_owner",
      [secondOwner.email]: "admin",
      [admin.email]: "admin",
      [member.email]: "site_owner",
    });
  });

  it("refuses to demote the last site owner with 409, and allows it once there is another", async () => {
    const owner = await registerOwner();
    const refused = await api("PATCH", `/api/v1/tenant/members/${owner.userId}`, {
      token: owner.token,
      body: { role: "admin" },
    });
    expect(refused.status).toBe(409);
    expect(typeof (refused.body as { detail: unknown }).detail).toBe("string");
    // Keeping the role is not a demotion.
    expect(
      (
        await api("PATCH", `/api/v1/tenant/members/${owner.userId}`, {
          token: owner.token,
          body: { role: "site_owner" },
        })
      ).status,
    ).toBe(200);

    const heir = await addMember(owner, "site_owner");
    expect(
      (await api("PATCH", `/api/v1/tenant/members/${owner.userId}`, { token: owner.token, body: { role: "admin" } }))
        .status,
    ).toBe(200);
    expect(
      (await api("PATCH", `/api/v1/tenant/members/${heir.userId}`, { token: heir.token, body: { role: "admin" } }))
        .status,
    ).toBe(409);
    expect(await rolesOf(heir)).toEqual({ [owner.email]: "admin", [heir.email]: "site_owner" });
  });

  it("answers 404 for another site's user or an unknown id, and 422 for a bad role", async () => {
    const owner = await registerOwner();
    const other = await registerOwner();
    const theirs = await addMember(other, "member");
    const member = await addMember(owner, "member");
    for (const userId of [other.userId, theirs.userId, "no-such-user", "%F0%9F%A6%8A"]) {
      expect(
        (await api("PATCH", `/api/v1/tenant/members/${userId}`, { token: owner.token, body: { role: "admin" } }))
          .status,
        userId,
      ).toBe(404);
      expect((await api("DELETE", `/api/v1/tenant/members/${userId}`, { token: owner.token })).status, userId).toBe(
        404,
      );
    }
    // A NUL in the path never reaches the route: the server refuses the URL itself.
    expect(
      (await api("PATCH", "/api/v1/tenant/members/nul%00byte", { token: owner.token, body: { role: "admin" } })).status,
    ).toBe(400);
    expect((await api("DELETE", "/api/v1/tenant/members/nul%00byte", { token: owner.token })).status).toBe(400);
    expect(await rolesOf(other)).toEqual({ [other.email]: "site_owner", [theirs.email]: "member" });
    for (const body of [{ role: "superuser" }, {}, { role: "admin", email: "x@example.com" }, { role: null }]) {
      const response = await api("PATCH", `/api/v1/tenant/members/${member.userId}`, { token: owner.token, body });
      expect(response.status, JSON.stringify(body)).toBe(422);
    }
  });

  it("never leaves a site without an owner when two owners demote or remove each other at once", async () => {
    for (let round = 0; round < 8; round += 1) {
      const a = await registerOwner();
      const b = await addMember(a, "site_owner");
      const demoteOrRemove = (actor: Account, target: Account) =>
        round % 2 === 0
          ? api("PATCH", `/api/v1/tenant/members/${target.userId}`, { token: actor.token, body: { role: "member" } })
          : api("DELETE", `/api/v1/tenant/members/${target.userId}`, { token: actor.token });
      const answers = await Promise.all([demoteOrRemove(a, b), demoteOrRemove(b, a)]);
      const statuses = answers.map((answer) => answer.status).sort();
      // One change wins; the other finds its actor no longer an owner (403 or 401) or the target the last one (409).
      expect(
        statuses.filter((status) => status === 200 || status === 204),
        JSON.stringify(statuses),
      ).toHaveLength(1);
      const survivor = answers[0]!.status < 300 ? a : b;
      const roles = await rolesOf(survivor);
      expect(
        Object.values(roles).filter((role) => role === "site_owner"),
        JSON.stringify(roles),
      ).toHaveLength(1);
    }
  });
});

describe("DELETE /api/v1/tenant/members/<user_id>", () => {
  it("removes a member whose API token and session cookie fail on their very next request", async () => {
    const owner = await registerOwner();
    const admin = await addMember(owner, "admin");
    const cookie = await sessionFor(admin);
    const created = await api("POST", "/api/v1/tokens", { token: admin.token, body: { name: "admin's script" } });
    const scriptToken = (created.body as { token: string }).token;
    for (const token of [admin.token, scriptToken])
      expect((await api("GET", "/api/v1/leads", { token })).status).toBe(200);
    expect((await withCookie("GET", "/api/v1/leads", cookie)).status).toBe(200);

    expect((await api("DELETE", `/api/v1/tenant/members/${admin.userId}`, { token: owner.token })).status).toBe(204);
    for (const token of [admin.token, scriptToken])
      expect((await api("GET", "/api/v1/leads", { token })).status).toBe(401);
    expect((await withCookie("GET", "/api/v1/leads", cookie)).status).toBe(401);
    expect((await withCookie("GET", "/dashboard", cookie)).headers.get("location")).toMatch(/\/sign-in$/);
    expect(
      (await api("POST", "/api/v1/auth/token", { body: { email: admin.email, password: admin.password } })).status,
    ).toBe(401);
    expect(Object.keys(await rolesOf(owner))).toEqual([owner.email]);

    // The account went with its only site, so the email can join again.
    const again = await api("POST", "/api/v1/tenant/members", {
      token: owner.token,
      body: { email: admin.email, password: "a new password", role: "member" },
    });
    expect(again.status).toBe(201);
  });

  it("keeps a removed user's account and their own site when they belong to one", async () => {
    const owner = await registerOwner();
    const elsewhere = await registerOwner();
    const member = await addMember(owner, "member");
    expect((await api("DELETE", `/api/v1/tenant/members/${owner.userId}`, { token: elsewhere.token })).status).toBe(
      404,
    );
    expect((await api("DELETE", `/api/v1/tenant/members/${member.userId}`, { token: owner.token })).status).toBe(204);
    expect((await api("DELETE", `/api/v1/tenant/members/${member.userId}`, { token: owner.token })).status).toBe(404);
    expect((await api("GET", "/api/v1/tenant", { token: elsewhere.token })).status).toBe(200);
  });

  it("lets only a site owner remove a site owner, refuses members, and never removes the last owner", async () => {
    const owner = await registerOwner();
    const secondOwner = await addMember(owner, "site_owner");
    const admin = await addMember(owner, "admin");
    const member = await addMember(owner, "member");
    expect((await api("DELETE", `/api/v1/tenant/members/${secondOwner.userId}`, { token: admin.token })).status).toBe(
      403,
    );
    expect((await api("DELETE", `/api/v1/tenant/members/${admin.userId}`, { token: member.token })).status).toBe(403);
    expect((await api("DELETE", `/api/v1/tenant/members/${member.userId}`, { token: admin.token })).status).toBe(204);
    expect((await api("DELETE", `/api/v1/tenant/members/${secondOwner.userId}`, { token: owner.token })).status).toBe(
      204,
    );
    const last = await api("DELETE", `/api/v1/tenant/members/${owner.userId}`, { token: owner.token });
    expect(last.status).toBe(409);
    expect(await rolesOf(owner)).toEqual({ [owner.email]: "site_owner", [admin.email]: "admin" });
    // An admin may leave on their own.
    expect((await api("DELETE", `/api/v1/tenant/members/${admin.userId}`, { token: admin.token })).status).toBe(204);
    expect(Object.keys(await rolesOf(owner))).toEqual([owner.email]);
  });

  it("needs a signed-in manager", async () => {
    const owner = await registerOwner();
    const member = await addMember(owner, "member");
    expect((await api("DELETE", `/api/v1/tenant/members/${member.userId}`)).status).toBe(401);
    expect((await api("PATCH", `/api/v1/tenant/members/${member.userId}`, { body: { role: "admin" } })).status).toBe(
      401,
    );
    expect(await rolesOf(owner)).toEqual({ [owner.email]: "site_owner", [member.email]: "member" });
  });
});
