import { Field } from "~/components/forms";
import { residentFlags } from "~/vocabulary";

/**
 * The fields of a resident's details, shared by the "add a person" form on the household page and
 * the correction form, so both ask the same way. `values` are as typed (checkboxes "on").
 */
export function ResidentFields({
  values,
  errors,
}: {
  values: Record<string, string | undefined>;
  errors: Record<string, string | undefined>;
}) {
  return (
    <>
      <Field
        name="fullName"
        label="Họ và tên"
        autoComplete="off"
        defaultValue={values.fullName}
        error={errors.fullName}
        required
      />
      <Field
        name="birthYear"
        label="Năm sinh"
        inputMode="numeric"
        hint="Ví dụ: 1958"
        defaultValue={values.birthYear}
        error={errors.birthYear}
        required
      />
      <Field
        name="phone"
        label="Số điện thoại (không bắt buộc)"
        type="tel"
        inputMode="tel"
        defaultValue={values.phone}
        error={errors.phone}
      />
      <fieldset className="field">
        <legend>Thuộc nhóm</legend>
        {residentFlags.map(([name, label]) => (
          <label key={name} className="choice">
            <input type="checkbox" name={name} value="on" defaultChecked={values[name] === "on"} /> {label}
          </label>
        ))}
      </fieldset>
    </>
  );
}
