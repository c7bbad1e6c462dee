import { randomUUID } from "node:crypto";
import { appCookies, clearCookie, readCookie, type AuthCookie, type Toast } from "./auth/cookies.server.ts";
import { authProvider } from "./auth/provider.server.ts";
import type { AuthSession, Viewer } from "./auth/types.ts";

/**
 * Per-request state handed to every loader and action (Remix load context). It resolves the
 * signed-in viewer at most once per request — verifying the access token and, when it is about to
 * expire, rotating it — and writes cookies straight onto the HTTP response, so a rotated refresh
 * token reaches the browser whatever the route returns (redirects and errors included).
 */
export interface RequestContextInput {
  cookieHeader: string | undefined;
  clientIp: string;
  appendSetCookie(value: string): void;
}

const REFRESH_MARGIN_SECONDS = 5 * 60;
const PORTAL_IDLE_LIMIT_MS = 24 * 60 * 60 * 1000;
const ACTIVITY_WRITE_INTERVAL_MS = 60 * 1000;

export class RequestContext {
  readonly clientIp: string;
  private viewerPromise: Promise<Viewer | null> | undefined;
  private authCookie: AuthCookie | undefined;
  /** Set when this request signed someone in: its cookies are on the response, not the request. */
  private lastActiveOverride: number | undefined;

  constructor(private readonly input: RequestContextInput) {
    this.clientIp = input.clientIp;
  }

  viewer(): Promise<Viewer | null> {
    this.viewerPromise ??= this.resolveViewer();
    return this.viewerPromise;
  }

  /** Whether the current session came through the client portal. */
  async isPortalSession(): Promise<boolean> {
    await this.viewer();
    return Boolean(this.authCookie?.portal);
  }

  async activeAgencyId(): Promise<string | undefined> {
    return readCookie<string>(appCookies().agency, this.input.cookieHeader);
  }

  async setActiveAgency(agencyId: string): Promise<void> {
    this.input.appendSetCookie(await appCookies().agency.serialize(agencyId));
  }

  /** Stores a fresh sign-in. */
  async signIn(session: AuthSession, options: { portal: boolean }): Promise<void> {
    await this.storeTokens(session, options.portal);
    this.lastActiveOverride = Date.now();
    this.input.appendSetCookie(await appCookies().activity.serialize(this.lastActiveOverride));
    this.viewerPromise = undefined;
  }

  /** Revokes the session server-side and clears every cookie that belongs to it. */
  async signOut(): Promise<void> {
    const viewer = await this.viewer();
    if (viewer)
      await authProvider()
        .signOut(viewer.claims, viewer.accessToken)
        .catch(() => {});
    await this.clearAuth();
    this.input.appendSetCookie(await clearCookie(appCookies().agency));
  }

  async toast(toast: Omit<Toast, "id">): Promise<void> {
    this.input.appendSetCookie(await appCookies().toast.serialize({ ...toast, id: randomUUID() }));
  }

  /** Reads the pending toast once; it is cleared on the same response. */
  async takeToast(): Promise<Toast | undefined> {
    const toast = await readCookie<Toast>(appCookies().toast, this.input.cookieHeader);
    if (toast) this.input.appendSetCookie(await clearCookie(appCookies().toast));
    return toast;
  }

  private async resolveViewer(): Promise<Viewer | null> {
    const cookies = appCookies();
    this.authCookie ??= await readCookie<AuthCookie>(cookies.auth, this.input.cookieHeader);
    const current = this.authCookie;
    if (!current?.access_token) return null;
    const provider = authProvider();

    if (current.portal) {
      const lastActive =
        this.lastActiveOverride ?? (await readCookie<number>(cookies.activity, this.input.cookieHeader)) ?? 0;
      if (Date.now() - lastActive > PORTAL_IDLE_LIMIT_MS) {
        const claims = await provider.verifyAccessToken(current.access_token);
        if (claims) await provider.signOut(claims, current.access_token).catch(() => {});
        await this.clearAuth();
        return null;
      }
      if (Date.now() - lastActive > ACTIVITY_WRITE_INTERVAL_MS) {
        this.input.appendSetCookie(await cookies.activity.serialize(Date.now()));
      }
    }

    const fresh = current.expires_at - Date.now() / 1000 > REFRESH_MARGIN_SECONDS;
    let claims = fresh ? await provider.verifyAccessToken(current.access_token) : null;
    let accessToken = current.access_token;
    if (!claims) {
      const refreshed = await provider.refresh(current.refresh_token);
      claims = refreshed ? await provider.verifyAccessToken(refreshed.access_token) : null;
      if (!refreshed || !claims) {
        await this.clearAuth();
        return null;
      }
      await this.storeTokens(refreshed, current.portal);
      accessToken = refreshed.access_token;
    }
    return { userId: claims.sub, email: String(claims.email ?? ""), claims, accessToken };
  }

  private async storeTokens(session: AuthSession, portal: boolean): Promise<void> {
    this.authCookie = {
      access_token: session.access_token,
      refresh_token: session.refresh_token,
      expires_at: session.expires_at,
      portal,
    };
    this.input.appendSetCookie(await appCookies().auth.serialize(this.authCookie));
  }

  private async clearAuth(): Promise<void> {
    this.authCookie = undefined;
    this.input.appendSetCookie(await clearCookie(appCookies().auth));
    this.input.appendSetCookie(await clearCookie(appCookies().activity));
  }
}

export function createRequestContext(input: RequestContextInput): RequestContext {
  return new RequestContext(input);
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    app: RequestContext;
  }
}
