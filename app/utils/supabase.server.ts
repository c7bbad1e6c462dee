import { createClient, type SupabaseClient, type SupabaseClientOptions } from "@supabase/supabase-js";

/**
 * createClient always builds a Realtime client, and realtime-js (2.109) throws there on Node < 22,
 * which has no global WebSocket, unless a transport is given. The app never opens a channel, so
 * the transport is one that refuses to connect, loudly, if anything ever tries.
 */
class NoRealtimeTransport {
  constructor() {
    throw new Error("Realtime is not used by this app: no WebSocket transport is configured.");
  }
}
type RealtimeTransport = NonNullable<NonNullable<SupabaseClientOptions<"public">["realtime"]>["transport"]>;
export const noRealtime = { transport: NoRealtimeTransport as unknown as RealtimeTransport };

/** A server-side Supabase client: no stored session, no auto refresh, no Realtime. */
export function serverSupabase(url: string, key: string): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: noRealtime,
  });
}
