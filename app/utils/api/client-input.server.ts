import type { ClientInput, ContactInput } from "#app/models/clients.server.ts";

/** API and form fields → the client row and its optional primary contact. */
export function splitClientFields<
  T extends { contact_name?: string; contact_email?: string; contact_phone?: string; contact_title?: string },
>(
  body: T,
): {
  client: Omit<T, "contact_name" | "contact_email" | "contact_phone" | "contact_title">;
  contact: ContactInput | null;
} {
  const { contact_name, contact_email, contact_phone, contact_title, ...client } = body;
  return {
    client,
    contact: contact_name
      ? { name: contact_name, email: contact_email ?? null, phone: contact_phone ?? null, title: contact_title ?? null }
      : null,
  };
}

export function toClientInput(fields: Record<string, unknown> & { name: string }): ClientInput {
  return fields as ClientInput;
}
