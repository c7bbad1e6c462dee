import { Form } from "@remix-run/react";
import { formatDay } from "#app/components/pipeline/format.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Avatar } from "#app/components/ui/card.tsx";
import { FormError, TextareaField } from "#app/components/ui/field.tsx";
import type { FormFailure } from "#app/utils/forms.ts";

export interface CommentView {
  id: string;
  author_name: string;
  body: string;
  created_at: string;
}

/** Notes on the task, oldest first; managers and the assignee add them. */
export function TaskComments({
  comments,
  canComment,
  failure,
  busy,
}: {
  comments: CommentView[];
  canComment: boolean;
  failure?: FormFailure;
  busy: boolean;
}) {
  return (
    <div className="space-y-4">
      {comments.length === 0 ? (
        <p className="text-sm text-zinc-500">No comments yet.</p>
      ) : (
        <ol className="space-y-3" aria-label="Comments">
          {comments.map((comment) => (
            <li key={comment.id} className="flex gap-3">
              <Avatar name={comment.author_name} size={28} />
              <div className="min-w-0 flex-1">
                <p className="text-xs text-zinc-500">
                  <span className="font-medium text-zinc-900">{comment.author_name}</span> ·{" "}
                  <time dateTime={comment.created_at}>{formatDay(comment.created_at)}</time>
                </p>
                <p className="mt-0.5 whitespace-pre-line break-words text-sm text-zinc-800">{comment.body}</p>
              </div>
            </li>
          ))}
        </ol>
      )}
      {canComment ? (
        // Keyed by the count: after a comment lands the field is empty again.
        <Form key={comments.length} method="post" className="space-y-2" noValidate>
          <input type="hidden" name="intent" value="comment" />
          <FormError message={failure?.formError} />
          <TextareaField
            label="Add a comment"
            name="body"
            rows={3}
            maxLength={10000}
            required
            defaultValue={failure?.values.body}
            errors={failure?.fieldErrors.body}
          />
          <div className="flex justify-end">
            <Button type="submit" variant="secondary" pending={busy}>
              Comment
            </Button>
          </div>
        </Form>
      ) : (
        <p className="text-xs text-zinc-500">Only the assignee and managers can comment on this task.</p>
      )}
    </div>
  );
}
