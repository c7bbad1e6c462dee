import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { authProvider } from "#app/utils/auth/provider.server.ts";
import { completeSignIn } from "#app/utils/auth/sign-in.server.ts";

/** OAuth return (Supabase mode): exchange the PKCE code for a session. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const code = new URL(request.url).searchParams.get("code");
  const provider = authProvider();
  if (!code || !provider.finishOAuth) return redirect("/login");
  const headers = new Headers();
  const session = await provider.finishOAuth(code, request, headers);
  if (!session) return redirect("/login", { headers });
  const response = await completeSignIn(context.app, session, "/");
  headers.forEach((value, key) => response.headers.append(key, value));
  return response;
}
