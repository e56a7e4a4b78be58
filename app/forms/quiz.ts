/**
 * What a quiz form sends and what the browser may know about a quiz: prompts and options only,
 * never answers or explanations (those stay in app/quizzes.server.ts until after submitting).
 */
export interface PublicOption {
  id: string;
  text: string;
}

export type PublicQuestion =
  | { id: string; type: "single" | "multiple"; prompt: string; options: PublicOption[] }
  | { id: string; type: "truefalse"; prompt: string }
  /** Options shown in a fixed shuffled order, never the right one. */
  | { id: string; type: "order"; prompt: string; options: PublicOption[] };

export interface PublicQuiz {
  passMark: number;
  questions: PublicQuestion[];
}

/**
 * A learner's answer to one question: an option id, option ids (chosen, or in their order), or true/false.
 */
export type Answer = string | string[] | boolean;
export type Answers = Record<string, Answer>;

/** The form field of a question (radio or checkboxes), and of one step's position in an order question. */
export const questionField = (questionId: string) => `q:${questionId}`;
export const positionField = (questionId: string, optionId: string) => `q:${questionId}:${optionId}`;

export const SUBMISSION_KEY_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** What a form re-shows after an error: the raw values per field name. */
export type QuizFormValues = Record<string, string | string[]>;
