import {
  bigint,
  boolean,
  customType,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgSchema,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Drizzle mirror of the migrated database, for typed queries in app/models. Keys are the column
 * names (snake_case), so rows go to the JSON API exactly as the database names them. The migrations in
 * supabase/migrations are the source of truth; tests/integration/schema-drift.test.ts fails when
 * this file and the database disagree on tables, columns, types or nullability.
 */
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });
const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

export const agencyRole = pgEnum("agency_role", ["owner", "manager", "member"]);
export type AgencyRole = (typeof agencyRole.enumValues)[number];

export const currencies = pgTable("currencies", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  minor_units: smallint("minor_units").notNull(),
});

export const agencies = pgTable("agencies", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  slug: text("slug").notNull(),
  logo_url: text("logo_url"),
  brand_color: text("brand_color").notNull(),
  currency: text("currency").notNull(),
  timezone: text("timezone").notNull(),
  default_tax_rate_bp: integer("default_tax_rate_bp").notNull(),
  default_hourly_rate_cents: integer("default_hourly_rate_cents").notNull(),
  invoice_prefix: text("invoice_prefix").notNull(),
  payment_terms_days: integer("payment_terms_days").notNull(),
  subscription_plan: text("subscription_plan").notNull(),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

export const profiles = pgTable("profiles", {
  user_id: uuid("user_id").primaryKey(),
  email: text("email").notNull(),
  name: text("name").notNull(),
  avatar_url: text("avatar_url"),
  timezone: text("timezone").notNull(),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

export const agencyMembers = pgTable("agency_members", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  user_id: uuid("user_id").notNull(),
  role: agencyRole("role").notNull(),
  capacity_hours_weekly: numeric("capacity_hours_weekly", { precision: 5, scale: 2 }).notNull(),
  is_active: boolean("is_active").notNull(),
  deactivated_at: timestamptz("deactivated_at"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

export const memberRates = pgTable(
  "member_rates",
  {
    agency_id: uuid("agency_id").notNull(),
    user_id: uuid("user_id").notNull(),
    hourly_rate_cents: integer("hourly_rate_cents"),
    cost_rate_cents: integer("cost_rate_cents"),
    updated_at: timestamptz("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agency_id, t.user_id] })],
);

export const auditLog = pgTable("audit_log", {
  id: bigint("id", { mode: "number" }).primaryKey(),
  agency_id: uuid("agency_id").notNull(),
  actor_id: uuid("actor_id"),
  actor_role: text("actor_role").notNull(),
  table_name: text("table_name").notNull(),
  row_id: text("row_id").notNull(),
  action: text("action").notNull(),
  old_values: jsonb("old_values"),
  new_values: jsonb("new_values"),
  reason: text("reason"),
  created_at: timestamptz("created_at").notNull(),
});

export const clients = pgTable("clients", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  name: text("name").notNull(),
  archived_at: timestamptz("archived_at"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

export const clientContacts = pgTable("client_contacts", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  client_id: uuid("client_id").notNull(),
  name: text("name").notNull(),
  email: text("email"),
  phone: text("phone"),
  user_id: uuid("user_id"),
  portal_access_granted_at: timestamptz("portal_access_granted_at"),
  portal_access_revoked_at: timestamptz("portal_access_revoked_at"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

export const invitations = pgTable("invitations", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  email: text("email").notNull(),
  name: text("name"),
  role: agencyRole("role"),
  client_contact_id: uuid("client_contact_id"),
  token_hash: bytea("token_hash").notNull(),
  invited_by: uuid("invited_by").notNull(),
  expires_at: timestamptz("expires_at").notNull(),
  last_sent_at: timestamptz("last_sent_at").notNull(),
  accepted_at: timestamptz("accepted_at"),
  accepted_by: uuid("accepted_by"),
  revoked_at: timestamptz("revoked_at"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

/** Tables in `private`: reached only by SQL functions, the worker and the rate limiter. */
export const privateSchema = pgSchema("private");

export const emailOutbox = privateSchema.table("email_outbox", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id"),
  to_email: text("to_email").notNull(),
  template: text("template").notNull(),
  data: jsonb("data").notNull(),
  status: text("status").notNull(),
  attempts: integer("attempts").notNull(),
  next_attempt_at: timestamptz("next_attempt_at").notNull(),
  last_error: text("last_error"),
  provider_message_id: text("provider_message_id"),
  created_at: timestamptz("created_at").notNull(),
  sent_at: timestamptz("sent_at"),
});

/** Column names are fixed by rate-limiter-flexible's Drizzle store. */
export const rateLimits = privateSchema.table("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull(),
  expire: timestamp("expire", { withTimezone: true, mode: "date" }),
});
