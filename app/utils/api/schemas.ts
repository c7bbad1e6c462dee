import { z } from "zod";

/**
 * Request and response shapes of the JSON API, shared by the routes (parsing) and
 * /api/openapi.json (documentation), so the two cannot disagree. Field names are the database's.
 * Formats are checked here for early, field-level messages; the rules themselves (valid IANA
 * zone, ISO currency, who may do what) are enforced by the database.
 */
export const email = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .max(254, "Use at most 254 characters.")
  .pipe(z.email({ error: "Enter a valid email address." }));

export const password = z
  .string({ error: "Enter a password." })
  .min(8, "Use at least 8 characters.")
  .max(128, "Use at most 128 characters.");

export const personName = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(120, "Use at most 120 characters.");

export const agencyName = z
  .string({ error: "Enter the agency's name." })
  .trim()
  .min(1, "Enter the agency's name.")
  .max(120, "Use at most 120 characters.");

export const timezone = z
  .string({ error: "Choose a time zone." })
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, "Use an IANA time zone such as Europe/Berlin.")
  .max(64, "Use an IANA time zone such as Europe/Berlin.");

export const currency = z
  .string({ error: "Choose a currency." })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "Use a three-letter ISO 4217 code such as EUR.");

export const role = z.enum(["owner", "manager", "member"], { error: "Choose owner, manager or member." });
export const uuid = z.uuid({ error: "Not a valid id." });

const cents = z
  .number({ error: "Enter an amount in cents." })
  .int("Use whole cents.")
  .min(0, "Cannot be negative.")
  .max(100_000_000, "That is more than the maximum.");

// ------------------------------------------------------------------------------------------
// Auth
// ------------------------------------------------------------------------------------------
export const SignupBody = z.strictObject({
  agency_name: agencyName,
  name: personName,
  email,
  password,
  timezone: timezone.optional(),
  currency: currency.optional(),
});

export const TokenBody = z.strictObject({
  email,
  password: z.string({ error: "Enter your password." }).min(1).max(128),
});
export const RefreshBody = z.strictObject({
  refresh_token: z.string({ error: "Missing refresh_token." }).min(1, "Missing refresh_token.").max(512),
});
export const MagicLinkBody = z.strictObject({
  email,
  redirect_to: z
    .string()
    .regex(/^\/(?!\/)/, "Use a path on this site, like /settings.")
    .max(512)
    .optional(),
});

export const UserRef = z.object({ id: uuid, email: z.string() });
export const AgencyRef = z.object({ id: uuid, name: z.string(), slug: z.string() });
export const TokenResponse = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal("bearer"),
  expires_in: z.number().int(),
  user: UserRef,
  agency: AgencyRef.optional(),
});

// ------------------------------------------------------------------------------------------
// Me and members
// ------------------------------------------------------------------------------------------
export const MePatchBody = z
  .strictObject({ name: personName.optional(), timezone: timezone.optional() })
  .refine((body) => body.name !== undefined || body.timezone !== undefined, {
    message: "Send name, timezone or both.",
  });

export const MembershipOut = z.object({
  agency_id: uuid,
  agency_name: z.string(),
  agency_slug: z.string(),
  role,
});
export const MeResponse = z.object({
  user: z.object({
    id: uuid,
    email: z.string(),
    name: z.string(),
    timezone: z.string(),
    avatar_url: z.string().nullable(),
  }),
  memberships: z.array(MembershipOut),
  active_agency: MembershipOut.nullable(),
});

export const InviteBody = z.strictObject({ email, name: personName.optional(), role: role.default("member") });

export const MemberPatchBody = z
  .strictObject({
    role: role.optional(),
    is_active: z.boolean({ error: "Use true or false." }).optional(),
    capacity_hours_weekly: z.number({ error: "Enter hours." }).min(0).max(168).optional(),
    hourly_rate_cents: cents.nullable().optional(),
    cost_rate_cents: cents.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Send at least one field to change." });

export const MemberOut = z.object({
  id: uuid,
  user_id: uuid,
  name: z.string(),
  email: z.string(),
  role,
  is_active: z.boolean(),
  capacity_hours_weekly: z.number(),
  hourly_rate_cents: z.number().int().nullable().describe("null for members looking at colleagues"),
  cost_rate_cents: z.number().int().nullable(),
});

export const InvitationOut = z.object({
  id: uuid,
  email: z.string(),
  name: z.string().nullable(),
  role: role.nullable(),
  expires_at: z.string(),
  last_sent_at: z.string(),
  created_at: z.string(),
});

// ------------------------------------------------------------------------------------------
// Agency settings
// ------------------------------------------------------------------------------------------
export const AgencyPatchBody = z
  .strictObject({
    name: agencyName.optional(),
    logo_url: z.url({ error: "Enter a full URL (https://…)." }).max(2048).nullable().optional(),
    brand_color: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^#[0-9a-f]{6}$/, "Use a hex colour such as #4f46e5.")
      .optional(),
    currency: currency.optional(),
    timezone: timezone.optional(),
    default_tax_rate_bp: z.number().int("Use whole basis points.").min(0).max(10_000).optional(),
    default_hourly_rate_cents: cents.optional(),
    invoice_prefix: z
      .string()
      .max(20, "Use at most 20 characters.")
      .regex(/^[A-Za-z0-9/_.-]*$/, "Use letters, digits and - _ . / only.")
      .optional(),
    payment_terms_days: z.number().int().min(0).max(365).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Send at least one setting to change." });

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().describe("Stable machine-readable reason"),
  errors: z.record(z.string(), z.array(z.string())).optional().describe("Messages per field"),
});
