import { asc, eq, sql } from "drizzle-orm";
import { agencies, currencies } from "#db/schema.ts";
import { asAnon, asUser, type JwtClaims } from "#app/utils/db.server.ts";
import { AppError } from "#app/utils/errors.server.ts";

export type Agency = typeof agencies.$inferSelect;

/** Settings an owner or manager may change; slug and plan are not among them (column grants). */
export interface AgencySettings {
  name?: string;
  logo_url?: string | null;
  brand_color?: string;
  currency?: string;
  timezone?: string;
  default_tax_rate_bp?: number;
  default_hourly_rate_cents?: number;
  invoice_prefix?: string;
  payment_terms_days?: number;
  /** Invoices take only approved time (otherwise any time that is not rejected). */
  invoice_requires_approved_time?: boolean;
  /** Printed on invoices. */
  address?: string | null;
  /** The Stripe connected account (acct_…) checkout sessions are made on; null: the platform's. */
  stripe_account_id?: string | null;
  /** Payment reminders in days from the due date; each step is emailed once per invoice. */
  reminder_offsets_days?: number[];
}

export function createAgency({
  claims,
  name,
  currency,
  timezone,
}: {
  claims: JwtClaims;
  name: string;
  currency?: string;
  timezone?: string | null;
}): Promise<Agency> {
  return asUser(claims, async (tx) => {
    const rows = await tx.execute<Agency>(
      sql`select * from public.create_agency(${name}, ${currency ?? "USD"}, ${timezone ?? null})`,
    );
    return rows[0]!;
  });
}

export function getAgency({ claims, agencyId }: { claims: JwtClaims; agencyId: string }): Promise<Agency | undefined> {
  return asUser(claims, async (tx) => {
    const [agency] = await tx.select().from(agencies).where(eq(agencies.id, agencyId));
    return agency;
  });
}

export function updateAgencySettings({
  claims,
  agencyId,
  settings,
}: {
  claims: JwtClaims;
  agencyId: string;
  settings: AgencySettings;
}): Promise<Agency> {
  return asUser(claims, async (tx) => {
    const [agency] = await tx.update(agencies).set(settings).where(eq(agencies.id, agencyId)).returning();
    // RLS hides the row from people who may not change it: the update touches nothing.
    if (!agency) throw new AppError(403, "manager_required", "Only an owner or manager can change agency settings.");
    return agency;
  });
}

export function listCurrencies(): Promise<{ code: string; name: string; minor_units: number }[]> {
  return asAnon((tx) => tx.select().from(currencies).orderBy(asc(currencies.code)));
}
