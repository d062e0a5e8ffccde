import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { config } from "@/lib/config";
import { signInSchema } from "@/lib/schemas/auth";
import { authenticateWithPassword } from "./authenticate";

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
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
}));
