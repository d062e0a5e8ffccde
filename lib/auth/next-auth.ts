import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { config } from "@/lib/config";
import { signInSchema } from "@/lib/schemas/auth";
import { authenticateWithPassword } from "./authenticate";

declare module "next-auth" {
  interface User {
    sessionVersion?: number;
  }
  interface Session {
    /** The user's sessionVersion when this session signed in (lib/auth/signed-in-membership.ts). */
    sessionVersion: number;
  }
}

class ThrottledSignIn extends CredentialsSignin {
  code = "rate_limited";
}

// The configuration is a function so secrets are read when the server runs, not at build.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: config().authSecret,
  // Leadgram is self-hosted behind whatever host name the owner picks.
  trustHost: true,
  session: { strategy: "jwt" },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const result = await authenticateWithPassword(parsed.data.email, parsed.data.password, request);
        if (result.ok) return result.user;
        if (result.reason === "throttled") throw new ThrottledSignIn();
        return null;
      },
    }),
  ],
  callbacks: {
    // The version is taken from the user at sign-in only: an "update" from the browser
    // (POST /api/auth/session) must not be able to carry a revoked session forward.
    jwt({ token, user, trigger }) {
      if (trigger === "signIn" && user) token.sessionVersion = user.sessionVersion ?? 0;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      session.sessionVersion = typeof token.sessionVersion === "number" ? token.sessionVersion : 0;
      return session;
    },
  },
}));
