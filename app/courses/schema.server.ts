/**
 * The shape of lesson content (content/courses/…), checked with zod: course.yaml, a lesson's
 * frontmatter and its .quiz.yaml. The format is fixed in the README ("Writing a lesson and a
 * quiz"); messages are in Vietnamese because content writers read them.
 */
import { z } from "zod";

export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const text = (what: string) =>
  z
    .string({ error: `${what}: cần một đoạn chữ` })
    .trim()
    .min(1, `${what} không được để trống`);
const minutes = z.number({ error: "minutes: cần một số phút" }).int("minutes: cần số nguyên").min(1).max(600);

export const audienceSchema = z.enum(["all", "members"], { error: "audience: chỉ được là all hoặc members" });
export type Audience = z.infer<typeof audienceSchema>;

export const courseMetaSchema = z.strictObject({
  title: text("title"),
  summary: text("summary"),
  audience: audienceSchema,
  order: z.number({ error: "order: cần một số" }).int().min(1),
  minutes,
});
export type CourseMeta = z.infer<typeof courseMetaSchema>;

export const lessonFrontmatterSchema = z.strictObject({
  title: text("title"),
  objectives: z
    .array(text("objectives"), { error: "objectives: cần danh sách mục tiêu" })
    .min(1, "objectives: cần ít nhất một mục tiêu"),
  audience: audienceSchema,
  minutes,
  /** When a lesson was added to a course that already existed (YYYY-MM-DD): pages may mark it "Bài mới". */
  added: z
    .string({ error: "added: cần ngày dạng YYYY-MM-DD" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "added: cần ngày dạng YYYY-MM-DD")
    .optional(),
});
export type LessonFrontmatter = z.infer<typeof lessonFrontmatterSchema>;

const optionSchema = z.strictObject({
  id: z
    .string({ error: "id của lựa chọn: cần một chữ" })
    .regex(/^[A-Za-z0-9_-]{1,32}$/, "id của lựa chọn chỉ gồm chữ, số, - và _"),
  text: text("text"),
});
const questionId = z
  .string({ error: "id: cần một chữ" })
  .regex(/^[A-Za-z0-9_-]{1,32}$/, "id của câu hỏi chỉ gồm chữ, số, - và _");
/** The lesson section that answers the question: the id of one of its `##` headings (see ~/courses/slug). */
const teaches = z
  .string({ error: "teaches: cần id của một mục ## trong bài" })
  .regex(ID_PATTERN, "teaches: id của mục viết thường, không dấu, nối bằng -, ví dụ cai-vneid-dung-noi")
  .optional();
const base = { id: questionId, prompt: text("prompt"), explanation: text("explanation"), teaches };

export const questionSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      ...base,
      type: z.literal("single"),
      options: z.array(optionSchema).min(2),
      answer: z.string({ error: "answer: cần id của một lựa chọn" }),
    }),
    z.strictObject({
      ...base,
      type: z.literal("multiple"),
      options: z.array(optionSchema).min(2),
      answer: z.array(z.string(), { error: "answer: cần danh sách id, ví dụ [a, c]" }).min(1),
    }),
    z.strictObject({
      ...base,
      type: z.literal("truefalse"),
      answer: z.boolean({ error: "answer: cần true hoặc false" }),
    }),
    z.strictObject({
      ...base,
      type: z.literal("order"),
      options: z.array(optionSchema).min(2),
      answer: z.array(z.string(), { error: "answer: cần danh sách id theo đúng thứ tự" }).min(2),
    }),
  ],
  { error: "type: chỉ được là single, multiple, truefalse hoặc order" },
);
export type Question = z.infer<typeof questionSchema>;
export type QuestionType = Question["type"];

export const quizFileSchema = z.strictObject({
  passMark: z.number({ error: "passMark: cần một số phần trăm" }).int().min(1).max(100).default(80),
  questions: z
    .array(questionSchema, { error: "questions: cần danh sách câu hỏi" })
    .min(1, "questions: cần ít nhất một câu hỏi"),
});
export type QuizFile = z.infer<typeof quizFileSchema>;
