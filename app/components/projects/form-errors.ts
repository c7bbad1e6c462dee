/**
 * The database names a broken check constraint after itself; the forms show that message at
 * the field a person can fix.
 */
export function fieldErrorsForForm(fieldErrors: Record<string, string[]>): Record<string, string[]> {
  const { deadline_after_start: deadline, budget_cents, hourly_rate_cents, ...rest } = fieldErrors;
  // zod names array items "team.0"; the picker shows them as one message.
  const team = Object.entries(rest)
    .filter(([key]) => key === "team" || key.startsWith("team."))
    .flatMap(([, messages]) => messages);
  return {
    ...Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith("team."))),
    ...(team.length > 0 ? { team: [...new Set(team)] } : {}),
    ...(deadline ? { deadline: ["The deadline is before the start date."] } : {}),
    ...(budget_cents ? { budget: budget_cents } : {}),
    ...(hourly_rate_cents ? { hourly_rate: hourly_rate_cents } : {}),
  };
}
