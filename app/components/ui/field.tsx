import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import { cn } from "./cn.ts";

/**
 * A labelled form control with its hint and error, wired for screen readers: the error is linked
 * with aria-describedby and marks the control aria-invalid.
 */
interface FieldShellProps {
  id?: string;
  label: string;
  hint?: ReactNode;
  errors?: string[] | undefined;
  className?: string;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

function FieldShell({ id: givenId, label, hint, errors, className, children }: FieldShellProps) {
  const generatedId = useId();
  const id = givenId ?? generatedId;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("space-y-1.5", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      {children({ id, describedBy, invalid: Boolean(errorId) })}
      {hint ? (
        <p id={hintId} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
      {errorId ? (
        <p id={errorId} className="text-sm text-red-700" role="alert">
          {errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

const controlClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-400 focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 aria-[invalid=true]:border-red-500 disabled:bg-zinc-100";

interface InputFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  hint?: ReactNode;
  errors?: string[] | undefined;
}

export function InputField({ id: givenId, label, hint, errors, className, ...props }: InputFieldProps) {
  return (
    <FieldShell id={givenId} label={label} hint={hint} errors={errors} className={className}>
      {({ id, describedBy, invalid }) => (
        <input
          {...props}
          id={id}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          className={controlClass}
        />
      )}
    </FieldShell>
  );
}

interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  hint?: ReactNode;
  errors?: string[] | undefined;
  options: { value: string; label: string }[];
}

/** A native select: works without JavaScript, on every device, with the platform's accessibility. */
export function SelectField({ id: givenId, label, hint, errors, options, className, ...props }: SelectFieldProps) {
  return (
    <FieldShell id={givenId} label={label} hint={hint} errors={errors} className={className}>
      {({ id, describedBy, invalid }) => (
        <select
          {...props}
          id={id}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          className={controlClass}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

interface TextareaFieldProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  hint?: ReactNode;
  errors?: string[] | undefined;
}

export function TextareaField({ id: givenId, label, hint, errors, className, ...props }: TextareaFieldProps) {
  return (
    <FieldShell id={givenId} label={label} hint={hint} errors={errors} className={className}>
      {({ id, describedBy, invalid }) => (
        <textarea
          {...props}
          id={id}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          className={controlClass}
        />
      )}
    </FieldShell>
  );
}

export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </div>
  );
}
