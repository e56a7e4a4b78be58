/**
 * Completion, exactly as design.md defines it. Pure rules over a catalogue and a learner's
 * progress, shared by the server (issuing certificates) and pages (progress ticks).
 *
 * - A lesson with a quiz is complete when its quiz is passed (a pass includes having read it);
 *   a lesson without a quiz when it is marked read.
 * - A course is complete when every lesson meant for the learner's audience is complete.
 * - The programme is complete when every core course is complete.
 * Certificates already issued are never taken back by these rules: a lesson added to a course
 * later changes what "complete" means from then on, not what was certified.
 */

export type LessonAudience = "all" | "members";

export interface CompletionLesson {
  id: string;
  audience: LessonAudience;
  hasQuiz: boolean;
}

export interface CompletionCourse {
  id: string;
  /** The three courses of the first intensive training round. */
  core: boolean;
  lessons: CompletionLesson[];
}

export interface LessonState {
  readAt: Date | string | null;
  passedAt: Date | string | null;
}

/** Whose lessons a learner must finish: team members also take the members-only lessons. */
export type LearnerAudience = "resident" | "member";

/**
 * `inTeam`: the learner is in a team now, or has a role that does field work (the server asks
 * permissions.server's `can(role, "fieldWork")`), whatever their account role otherwise.
 */
export function learnerAudience(inTeam: boolean): LearnerAudience {
  return inTeam ? "member" : "resident";
}

export function lessonsFor<L extends CompletionLesson>(lessons: L[], audience: LearnerAudience): L[] {
  return lessons.filter((lesson) => lesson.audience === "all" || audience === "member");
}

export function isLessonComplete(
  lesson: Pick<CompletionLesson, "hasQuiz">,
  state: LessonState | undefined,
): boolean {
  if (!state) return false;
  return lesson.hasQuiz ? Boolean(state.passedAt) : Boolean(state.readAt);
}

export interface CourseProgress {
  courseId: string;
  done: number;
  total: number;
  complete: boolean;
  /** The first lesson not yet complete, where the learner resumes. */
  nextLessonId: string | null;
}

/** `states` is keyed by `${courseId}/${lessonId}`. */
export function courseProgress(
  course: CompletionCourse,
  audience: LearnerAudience,
  states: Map<string, LessonState>,
): CourseProgress {
  const lessons = lessonsFor(course.lessons, audience);
  let done = 0;
  let nextLessonId: string | null = null;
  for (const lesson of lessons) {
    if (isLessonComplete(lesson, states.get(`${course.id}/${lesson.id}`))) done++;
    else nextLessonId ??= lesson.id;
  }
  return {
    courseId: course.id,
    done,
    total: lessons.length,
    complete: lessons.length > 0 && done === lessons.length,
    nextLessonId,
  };
}

export function isProgrammeComplete(
  courses: CompletionCourse[],
  audience: LearnerAudience,
  states: Map<string, LessonState>,
): boolean {
  const core = courses.filter((c) => c.core);
  return core.length > 0 && core.every((course) => courseProgress(course, audience, states).complete);
}

export function progressKey(courseId: string, lessonId: string): string {
  return `${courseId}/${lessonId}`;
}
