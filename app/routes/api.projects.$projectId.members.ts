import type { LoaderFunctionArgs } from "@remix-run/node";
import { addTeamMember, removeTeamMember } from "#app/models/projects.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { TeamMemberBody, TeamMemberRemoveBody, uuid } from "#app/utils/api/schemas.ts";

/**
 * POST /api/projects/:id/members {user_id, billable_rate_cents?} — adds someone to the team (or
 * sets their project rate). DELETE with {user_id} or ?user_id= — takes them off; their tasks
 * become unassigned. Both answer the team. Owners and managers.
 */
const add = apiRoute({ body: TeamMemberBody }, async ({ viewer, params, body }) => {
  const team = await addTeamMember({
    claims: viewer.claims,
    projectId: uuid.parse(params.projectId),
    userId: body.user_id,
    billableRateCents: body.billable_rate_cents,
  });
  return { data: { data: team } };
});

const removeByQuery = apiRoute({ query: TeamMemberRemoveBody }, async ({ viewer, params, query }) => ({
  data: {
    data: await removeTeamMember({
      claims: viewer.claims,
      projectId: uuid.parse(params.projectId),
      userId: query.user_id,
    }),
  },
}));
const removeByBody = apiRoute({ body: TeamMemberRemoveBody }, async ({ viewer, params, body }) => ({
  data: {
    data: await removeTeamMember({
      claims: viewer.claims,
      projectId: uuid.parse(params.projectId),
      userId: body.user_id,
    }),
  },
}));

export const { loader, action } = apiMethods({
  POST: add,
  DELETE: (args: LoaderFunctionArgs) =>
    new URL(args.request.url).searchParams.has("user_id") ? removeByQuery(args) : removeByBody(args),
});
