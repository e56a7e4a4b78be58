/** Ids chosen in forms (hidden inputs, radio buttons). Browser-safe. */
import { z } from "zod";

/** The largest id a PostgreSQL `integer` column holds: a larger one is a bad form, not a database error. */
export const MAX_ID = 2_147_483_647;

/** A positive integer id no larger than the database holds, with one message for anything else. */
export function formId(message = "Dữ liệu gửi lên không đúng. Hãy tải lại trang và thử lại.") {
  return z.coerce.number({ error: message }).int(message).positive(message).max(MAX_ID, message);
}
