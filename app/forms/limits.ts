/**
 * The password rules the form states in its own markup (minlength, maxlength);
 * the schemas in ./auth enforce them. Browser-safe, no zod.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
