/**
 * A lesson's body as HTML, rendered once per compiled version: it is the same for every reader (the
 * lesson components use no state, context or per-reader data), so a lesson page renders only its
 * frame (progress, buttons) per request and places this markup inside it.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { LessonBody } from "~/components/lesson-components";

const htmlByCode = new Map<string, string>();
const MAX_KEPT = 200;

export function lessonHtml(code: string): string {
  let html = htmlByCode.get(code);
  if (html === undefined) {
    html = renderToStaticMarkup(<LessonBody code={code} />);
    if (htmlByCode.size >= MAX_KEPT) htmlByCode.delete(htmlByCode.keys().next().value!);
    htmlByCode.set(code, html);
  }
  return html;
}
