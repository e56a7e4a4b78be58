/**
 * The catalogue as one learner sees it: which courses and lessons they may open (members-only
 * lessons for the teams and staff), their progress, the time left. Small payloads for the pages.
 */
import type { Role } from "@db/schema";
import { vnMidnight } from "~/format";
import {
  canSeeAudience,
  findLesson,
  getCatalog,
  getCompiledLesson,
  visibleLessons,
  type Course,
  type Lesson,
} from "~/courses/content.server";
import type { PublicQuiz } from "~/forms/quiz";
import { getProgress, isLessonComplete, type LessonProgress } from "~/progress.server";
import { getQuizStanding, publicQuiz, type QuizStanding } from "~/quizzes.server";

export interface Viewer {
  id: number;
  role: Role;
}

export interface LessonSummary {
  id: string;
  number: number;
  title: string;
  minutes: number;
  membersOnly: boolean;
  /** Added to the course within the last 90 days: the course page marks it "Bài mới". */
  isNew: boolean;
  read: boolean;
  passed: boolean;
  complete: boolean;
}

const NEW_FOR_MS = 90 * 24 * 3600 * 1000;

export function isRecentlyAdded(added: string | undefined, now = Date.now()): boolean {
  if (!added) return false;
  const at = vnMidnight(added).getTime();
  return Number.isFinite(at) && now - at < NEW_FOR_MS;
}

export interface CourseSummary {
  id: string;
  title: string;
  summary: string;
  minutes: number;
  lessonCount: number;
  completedCount: number;
  minutesLeft: number;
}

function summarise(course: Course, lessons: Lesson[], progress: Map<string, LessonProgress>) {
  const items: LessonSummary[] = lessons.map((l) => {
    const p = progress.get(`${course.id}/${l.id}`);
    return {
      id: l.id,
      number: l.number,
      title: l.title,
      minutes: l.minutes,
      membersOnly: l.audience === "members",
      isNew: isRecentlyAdded(l.added),
      read: Boolean(p?.readAt),
      passed: Boolean(p?.passedAt),
      complete: isLessonComplete(p, Boolean(l.quiz)),
    };
  });
  const summary: CourseSummary = {
    id: course.id,
    title: course.title,
    summary: course.summary,
    minutes: lessons.reduce((n, l) => n + l.minutes, 0),
    lessonCount: items.length,
    completedCount: items.filter((i) => i.complete).length,
    minutesLeft: items.filter((i) => !i.complete).reduce((n, i) => n + i.minutes, 0),
  };
  return { summary, lessons: items };
}

async function progressFor(viewer: Viewer | null, courses: Course[]) {
  return viewer
    ? getProgress(
        viewer.id,
        courses.map((c) => c.id),
      )
    : new Map<string, LessonProgress>();
}

export async function listCoursesFor(viewer: Viewer | null): Promise<CourseSummary[]> {
  const catalog = await getCatalog();
  const courses = catalog.courses.filter((c) => canSeeAudience(viewer?.role ?? null, c.audience));
  const progress = await progressFor(viewer, courses);
  return courses.map((c) => summarise(c, visibleLessons(c, viewer?.role ?? null), progress).summary);
}

export async function getCourseFor(viewer: Viewer | null, courseId: string) {
  const catalog = await getCatalog();
  const course = catalog.courses.find((c) => c.id === courseId);
  if (!course || !canSeeAudience(viewer?.role ?? null, course.audience)) return null;
  const progress = await progressFor(viewer, [course]);
  return summarise(course, visibleLessons(course, viewer?.role ?? null), progress);
}

export type LessonAccess<T> = { status: "ok"; value: T } | { status: "not-found" } | { status: "sign-in" };

/**
 * A lesson this viewer may open: members-only lessons ask an anonymous visitor to sign in,
 * and are not found for a resident.
 */
async function openLesson(viewer: Viewer | null, courseId: string, lessonId: string) {
  const catalog = await getCatalog();
  const found = findLesson(catalog, courseId, lessonId);
  if (!found) return { status: "not-found" as const };
  if (
    !canSeeAudience(viewer?.role ?? null, found.course.audience) ||
    !canSeeAudience(viewer?.role ?? null, found.lesson.audience)
  ) {
    return viewer ? { status: "not-found" as const } : { status: "sign-in" as const };
  }
  return { status: "ok" as const, catalog, ...found };
}

const brief = (l: Lesson | undefined) => (l ? { id: l.id, title: l.title } : null);

/** One forward move for a learner: where the page's primary button goes, and what it says. */
export interface Step {
  to: string;
  label: string;
}

/**
 * Where a learner goes once a lesson is complete: the next unfinished lesson, or the course's certificate.
 */
function stepAfter(courseId: string, lessons: LessonSummary[], currentId: string): Step {
  const index = lessons.findIndex((l) => l.id === currentId);
  const next = [...lessons.slice(index + 1), ...lessons.slice(0, Math.max(index, 0))].find(
    (l) => !l.complete,
  );
  if (!next) return { to: `/courses/${courseId}/certificate`, label: "Nhận giấy chứng nhận" };
  return { to: `/courses/${courseId}/${next.id}`, label: `Học bài tiếp: ${next.title}` };
}

/** "Bài 2/5" and the course's bar: this lesson's place, how many are complete. */
export interface LessonPlace {
  index: number;
  count: number;
  done: number;
  /** This lesson complete (its quiz passed, or read where it has none). */
  complete: boolean;
  /** Where to go next, once this lesson is complete; null before. */
  after: Step | null;
}

/** A lesson's place in the course for this learner, from their progress as it is now. */
export async function lessonPlaceFor(
  viewer: Viewer | null,
  course: Course,
  lessonId: string,
): Promise<LessonPlace> {
  const siblings = visibleLessons(course, viewer?.role ?? null);
  const { lessons } = summarise(course, siblings, await progressFor(viewer, [course]));
  const current = lessons.find((l) => l.id === lessonId);
  const complete = Boolean(current?.complete);
  return {
    index: lessons.findIndex((l) => l.id === lessonId) + 1,
    count: lessons.length,
    done: lessons.filter((l) => l.complete).length,
    complete,
    after: complete ? stepAfter(course.id, lessons, lessonId) : null,
  };
}

export async function getLessonFor(viewer: Viewer | null, courseId: string, lessonId: string) {
  const opened = await openLesson(viewer, courseId, lessonId);
  if (opened.status !== "ok") return opened;
  const { catalog, course, lesson } = opened;
  const siblings = visibleLessons(course, viewer?.role ?? null);
  const index = siblings.findIndex((l) => l.id === lesson.id);
  const [compiled, place] = await Promise.all([
    getCompiledLesson(lesson, catalog),
    lessonPlaceFor(viewer, course, lesson.id),
  ]);
  return {
    status: "ok" as const,
    value: {
      course: { id: course.id, title: course.title },
      lesson: {
        id: lesson.id,
        title: lesson.title,
        objectives: lesson.objectives,
        minutes: lesson.minutes,
        membersOnly: lesson.audience === "members",
        hasQuiz: Boolean(lesson.quiz),
      },
      position: { index: index + 1, count: siblings.length },
      place,
      previous: brief(siblings[index - 1]),
      next: brief(siblings[index + 1]),
      code: compiled.code,
      sections: compiled.sections,
    },
  };
}

/** The lesson and its full quiz, for the server side of the quiz pages (grading, review). */
export async function getLessonQuiz(viewer: Viewer, courseId: string, lessonId: string) {
  const opened = await openLesson(viewer, courseId, lessonId);
  if (opened.status !== "ok") return null;
  const siblings = visibleLessons(opened.course, viewer.role);
  const next = siblings[siblings.findIndex((l) => l.id === opened.lesson.id) + 1];
  return { course: opened.course, lesson: opened.lesson, quiz: opened.lesson.quiz, next: brief(next) };
}

/** Where the learner is in the whole path: the first unfinished lesson of the first unfinished course. */
export async function resumeStepFor(viewer: Viewer): Promise<(Step & { courseTitle: string }) | null> {
  const catalog = await getCatalog();
  const courses = catalog.courses.filter((c) => canSeeAudience(viewer.role, c.audience));
  const progress = await progressFor(viewer, courses);
  for (const course of courses) {
    const { lessons } = summarise(course, visibleLessons(course, viewer.role), progress);
    const next = lessons.find((l) => !l.complete);
    if (next) {
      const started = lessons.some((l) => l.complete || l.read);
      return {
        to: `/courses/${course.id}/${next.id}`,
        label: `${started ? "Học tiếp" : "Bắt đầu học"}: ${next.title}`,
        courseTitle: course.title,
      };
    }
  }
  return null;
}

export interface QuizPage {
  course: { id: string; title: string };
  lesson: { id: string; title: string };
  quiz: PublicQuiz;
  standing: QuizStanding;
  place: LessonPlace;
}

/**
 * What the quiz page may send to the browser: prompts and options in the order of this rendering
 * of the form (shuffled by its submission key), no answers.
 */
export async function getQuizPageFor(
  viewer: Viewer,
  courseId: string,
  lessonId: string,
  submissionKey: string,
): Promise<QuizPage | null> {
  const found = await getLessonQuiz(viewer, courseId, lessonId);
  if (!found) return null;
  const [standing, place] = await Promise.all([
    getQuizStanding({ userId: viewer.id, courseId, lessonId }),
    lessonPlaceFor(viewer, found.course, lessonId),
  ]);
  return {
    course: { id: found.course.id, title: found.course.title },
    lesson: { id: found.lesson.id, title: found.lesson.title },
    quiz: publicQuiz(found.quiz, submissionKey),
    standing,
    place,
  };
}
