/**
 * The course catalogue seen by completion and certificates: course ids and titles, which
 * courses are core, each lesson's audience and whether it has a quiz. Built from the one
 * validated catalogue the course pages use (app/courses/content.server.ts).
 */
import { PROGRAMME_KEY } from "@db/schema";
import type { CompletionCourse, CompletionLesson } from "~/completion";
import { getCatalog } from "~/courses/content.server";

export interface CatalogLesson extends CompletionLesson {
  title: string;
}

export interface CatalogCourse extends CompletionCourse {
  title: string;
  order: number;
  lessons: CatalogLesson[];
}

export interface CompletionCatalog {
  courses: CatalogCourse[];
  titleOf: (courseKey: string) => string;
}

const PROGRAMME_NAME = "Chương trình bồi dưỡng kỹ năng số cơ bản";
/** The first intensive training round: the three courses the programme certificate needs. */
export const CORE_COURSES = ["nen-tang-so", "dich-vu-cong-truc-tuyen", "an-toan-thong-tin"] as const;

export async function getCompletionCatalog(): Promise<CompletionCatalog> {
  const catalog = await getCatalog();
  const courses = catalog.courses.map((course) => ({
    id: course.id,
    title: course.title,
    order: course.order,
    core: (CORE_COURSES as readonly string[]).includes(course.id),
    lessons: course.lessons.map((lesson) => ({ id: lesson.id, title: lesson.title, audience: lesson.audience, hasQuiz: Boolean(lesson.quiz) })),
  }));
  const titles = new Map(courses.map((c) => [c.id, c.title]));
  return { courses, titleOf: (key) => (key === PROGRAMME_KEY ? PROGRAMME_NAME : (titles.get(key) ?? key)) };
}
