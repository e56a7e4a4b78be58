/**
 * The id of a lesson's section heading (`## …`), and so its address: `/courses/c/l#slug`. A quiz
 * question's `teaches` names a section by it. Browser-safe; one rule for the compiler, the content
 * check and the content writers: lower case, Vietnamese diacritics removed (đ → d), every run of
 * other characters → "-", no "-" at either end. "## Cài VNeID đúng nơi" → "cai-vneid-dung-noi".
 */
export function headingSlug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
