import { handler as stripeWebhook } from "../stripe-webhook/index.ts";

/**
 * Local stand-in for the Supabase functions gateway (`npm start` has no Docker, so no
 * `supabase functions serve`): /functions/v1/<name>[/…] goes to that function's handler, like on
 * Supabase. Folders starting with "_" are never functions there, so /functions/v1/_health cannot
 * clash with one; the Node side polls it to know the server is up.
 */
const functions: Record<string, (req: Request) => Promise<Response>> = {
  "stripe-webhook": stripeWebhook,
};

const prefix = "/functions/v1/";
const port = Number(Deno.env.get("FUNCTIONS_PORT") || 54321);
// Loopback only: the app and `stripe listen --forward-to` reach it on this machine.
const hostname = "127.0.0.1";

function notFound(name: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: `No function named ${name}`, status: 404 }), {
    status: 404,
    headers: { "content-type": "application/problem+json" },
  });
}

Deno.serve(
  {
    port,
    hostname,
    onListen: () => console.log(`serving ${Object.keys(functions).join(", ")} on http://${hostname}:${port}${prefix}`),
  },
  (req) => {
    const { pathname } = new URL(req.url);
    if (!pathname.startsWith(prefix)) return notFound(pathname);
    const name = pathname.slice(prefix.length).split("/")[0] ?? "";
    if (name === "_health") return Response.json({ ok: true, functions: Object.keys(functions) });
    const fn = functions[name];
    return fn ? fn(req) : notFound(name);
  },
);
