import { Form } from "@remix-run/react";
import { PASSWORD_MIN } from "~/forms/limits";
import { useId, useRef, type InputHTMLAttributes, type ReactNode } from "react";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  hint?: string;
  error?: string;
}

/** A labelled input whose error and hint are tied to it for screen readers. */
export function Field({ name, label, hint, error, id, ...input }: FieldProps) {
  const generated = useId();
  const inputId = id ?? `${name}-${generated}`;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={inputId}>{label}</label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      <input
        id={inputId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        {...input}
      />
      {error ? (
        <p id={errorId} className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Bots fill every field; people never see this one. Public forms reject a filled honeypot. */
export function Honeypot() {
  return (
    <div className="honeypot" aria-hidden="true">
      <label htmlFor="website">Đừng điền ô này</label>
      <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div className="form-error" role="alert">
      {message}
    </div>
  );
}

/** A labelled checkbox whose error is tied to it. */
export function CheckboxField({
  name,
  label,
  error,
  defaultChecked,
  value = "on",
}: {
  name: string;
  label: ReactNode;
  error?: string;
  defaultChecked?: boolean;
  value?: string;
}) {
  const generated = useId();
  const inputId = `${name}-${generated}`;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <div className="choice">
        <input
          id={inputId}
          type="checkbox"
          name={name}
          value={value}
          defaultChecked={defaultChecked}
          aria-invalid={error ? true : undefined}
          aria-describedby={errorId}
        />
        <label htmlFor={inputId}>{label}</label>
      </div>
      {error ? (
        <p id={errorId} className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A key for password inputs that changes with every answer from the action, so a form
 * re-rendered after an error (with JavaScript) shows the password empty, as without it.
 */
export function usePasswordKey(actionData: unknown): string {
  const seen = useRef<{ data: unknown; n: number }>({ data: actionData, n: 0 });
  if (seen.current.data !== actionData) seen.current = { data: actionData, n: seen.current.n + 1 };
  return `password-${seen.current.n}`;
}

/**
 * The pair of fields every "choose a password" form has: the password with its rule, and the
 * same again. `resetKey` (from usePasswordKey) empties both after an error, with or without JavaScript.
 */
export function NewPasswordFields({
  resetKey,
  errors,
  label = "Mật khẩu mới",
  confirmLabel = "Nhập lại mật khẩu mới",
  extraHint = "",
}: {
  resetKey: string | number;
  errors: Record<string, string | undefined>;
  label?: string;
  confirmLabel?: string;
  extraHint?: string;
}) {
  return (
    <>
      <Field
        key={`${resetKey}-password`}
        name="password"
        label={label}
        type="password"
        hint={`Ít nhất ${PASSWORD_MIN} ký tự. Một câu ngắn dễ nhớ là tốt nhất.${extraHint}`}
        autoComplete="new-password"
        error={errors.password}
        required
      />
      <Field
        key={`${resetKey}-confirmPassword`}
        name="confirmPassword"
        label={confirmLabel}
        type="password"
        autoComplete="new-password"
        error={errors.confirmPassword}
        required
      />
    </>
  );
}

/** A one-field GET search form: works without JavaScript, and the address can be shared. */
export function SearchRow({ id, label, defaultValue }: { id: string; label: string; defaultValue: string }) {
  return (
    <Form method="get" role="search" className="search-row">
      <label htmlFor={id}>{label}</label>
      <input id={id} name="q" type="search" defaultValue={defaultValue} />
      <button type="submit" className="button">
        Tìm
      </button>
    </Form>
  );
}

/** "Số điện thoại hoặc email": how every account form asks who the person is. */
/**
 * Most people here sign in with a phone number, so the field opens the phone's number pad
 * (`inputmode="tel"`). A phone's number pad has no letters: a page offers `emailKeyboard` (a
 * link to itself with `?email=1`, so it works without JavaScript) for those who use an email.
 * `autoComplete`: "username" on sign-in (password managers), "tel" on sign-up (fills the number).
 */
export function IdentifierField({
  label = "Số điện thoại hoặc email",
  defaultValue,
  error,
  autoComplete = "username",
  emailKeyboard,
}: {
  label?: string;
  defaultValue?: string;
  error?: string;
  autoComplete?: "username" | "tel";
  emailKeyboard?: boolean;
}) {
  return (
    <Field
      name="identifier"
      label={label}
      hint={emailKeyboard ? "Ví dụ: ten@gmail.com hoặc 0905 123 456" : "Ví dụ: 0905 123 456"}
      autoComplete={emailKeyboard ? (autoComplete === "tel" ? "email" : "username") : autoComplete}
      inputMode={emailKeyboard ? "email" : "tel"}
      defaultValue={defaultValue}
      error={error}
      required
    />
  );
}

/** The link under an IdentifierField that switches its keyboard between the number pad and letters. */
export function KeyboardSwitch({
  emailKeyboard,
  search,
}: {
  emailKeyboard: boolean;
  search: URLSearchParams;
}) {
  const next = new URLSearchParams(search);
  if (emailKeyboard) next.delete("email");
  else next.set("email", "1");
  const query = next.toString();
  return (
    <p className="field__hint keyboard-switch">
      <a href={query ? `?${query}` : "?"}>
        {emailKeyboard ? "Dùng số điện thoại (bàn phím số)" : "Dùng email thay cho số điện thoại"}
      </a>
    </p>
  );
}
