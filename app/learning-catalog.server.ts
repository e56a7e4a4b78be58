/**
 * The course catalogue seen by completion and certificates: course ids and titles, which
 * courses are core, each lesson's audience and whether it has a quiz. Built from the one
 * validated catalogue the course pages use (app/courses/content.server.ts).
 */
import type { CompletionCourse, CompletionLesson } from "~/completion";
import { getCatalog } from "~/courses/content.server";
import { CORE_COURSE_IDS, PROGRAMME_KEY, PROGRAMME_TITLE } from "~/vocabulary";

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
  /**
   * A certificate's course key in words: the course's title from its course.yaml, or the programme's title.
   */
  titleOf: (courseKey: string) => string;
}

export async function getCompletionCatalog(): Promise<CompletionCatalog> {
  const catalog = await getCatalog();
  const courses = catalog.courses.map((course) => ({
    id: course.id,
    title: course.title,
    order: course.order,
    core: CORE_COURSE_IDS.includes(course.id),
    lessons: course.lessons.map((lesson) => ({
      id: lesson.id,
      title: lesson.title,
      audience: lesson.audience,
      hasQuiz: Boolean(lesson.quiz),
    })),
  }));
  const titles = new Map(courses.map((c) => [c.id, c.title]));
  return { courses, titleOf: (key) => (key === PROGRAMME_KEY ? PROGRAMME_TITLE : (titles.get(key) ?? key)) };
}

/**
 * The core courses in their fixed order, titled as their course.yaml says (the office's target a settings).
 */
export async function listCoreCourses(): Promise<{ id: string; title: string }[]> {
  const { titleOf } = await getCompletionCatalog();
  return CORE_COURSE_IDS.map((id) => ({ id, title: titleOf(id) }));
}
