/**
 * What `content:check` measures in a lesson beyond "does it compile": its h2 sections (the
 * targets of a question's `teaches`), its step lists and their pictures, its long sentences, the
 * HọcSố labels it quotes, and, over the quizzes, how often the right answer of a single-choice
 * question is simply the longest option. Parsed with the same remark-mdx the compiler uses.
 */
import path from "node:path";
import { toString as mdastText } from "mdast-util-to-string";
import remarkFrontmatter from "remark-frontmatter";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { LineCounter, parseDocument } from "yaml";
import type { ContentIssue, Lesson } from "~/courses/content.server";
import { parsePhoneItem, phoneScreenLabels } from "~/courses/phone-items";
import type { Question } from "~/courses/schema.server";
import { SCENES } from "~/components/phone-screen";

/**
 * A heading's slug, the id another part of the app gives the heading and a question's `teaches`
 * names: lower case, Vietnamese marks removed (đ → d), every run of characters outside [a-z0-9]
 * replaced by "-", trimmed of "-". "Gọi số nào?" → "goi-so-nao".
 */
export function headingSlug(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The pictures a lesson may draw; each needs its text alternative (`alt`). */
export const PICTURE_COMPONENTS = ["PhoneScreen", "SceneDrawing"] as const;

/** A sentence longer than this many syllables (words, in Vietnamese) is hard for an elderly reader. */
export const LONG_SENTENCE = 25;

interface MdNode {
  type: string;
  name?: string | null;
  depth?: number;
  value?: unknown;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: MdNode[];
  position?: { start: { line: number; column: number } };
}

export interface Picture {
  component: string;
  line?: number;
  alt: string;
  /** For a PhoneScreen: the app drawn in its title bar. */
  app?: string;
  /** Every label drawn on a PhoneScreen (screen title and items), without markers. */
  labels: string[];
  items: string[];
  step?: string;
  scene: string;
}

export interface StepList {
  line?: number;
  /** The h2 the list sits under ("" before the first). */
  section: string;
  steps: number;
  /** A list that tells the reader what to press in an app; otherwise it is about a scene. */
  aboutApp: boolean;
  pictures: Picture[];
}

export interface LessonAnalysis {
  headings: { text: string; slug: string; line?: number }[];
  stepLists: StepList[];
  pictures: Picture[];
  sentences: number;
  longSentences: number;
  /** Text inside <AppLabel>: HọcSố's own labels, which must exist in the app. */
  appLabels: string[];
  /** Bold text inside step lists. */
  boldInSteps: string[];
}

const parser = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter, ["yaml"]);

function attribute(node: MdNode, name: string): string | undefined {
  const a = node.attributes?.find((x) => x.type === "mdxJsxAttribute" && x.name === name);
  return typeof a?.value === "string" ? a.value : undefined;
}

function pictureOf(node: MdNode): Picture {
  const component = node.name ?? "";
  const screen = attribute(node, "screen");
  return {
    component,
    line: node.position?.start.line,
    alt: (attribute(node, "alt") ?? "").trim(),
    app: attribute(node, "app"),
    labels: component === "PhoneScreen" ? phoneScreenLabels(attribute(node, "items") ?? "", screen) : [],
    items: (attribute(node, "items") ?? "").split("|"),
    step: attribute(node, "step"),
    scene: attribute(node, "scene") ?? "",
  };
}

const isPicture = (node: MdNode) =>
  (node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") &&
  (PICTURE_COMPONENTS as readonly string[]).includes(node.name ?? "");

// Words that show a step list walks through an app's screens rather than a scene in real life.
const APP_WORDS =
  /\b(bấm|chạm|gõ|nhập|màn hình|ứng dụng|mở (?:mục|trang|phần)|ô tìm kiếm|đăng nhập|quét)\b/iu;

function collect(node: MdNode, found: { pictures: Picture[]; bold: string[]; labels: string[] }) {
  if (isPicture(node)) found.pictures.push(pictureOf(node));
  if (node.type === "strong") found.bold.push(mdastText(node).trim());
  if ((node.type === "mdxJsxTextElement" || node.type === "mdxJsxFlowElement") && node.name === "AppLabel")
    found.labels.push(mdastText(node).trim());
  node.children?.forEach((c) => collect(c, found));
}

/** Sentences of a block of prose: split after . ! ? … followed by a space or the end. */
function sentencesOf(text: string): string[] {
  return text
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?…])\s+(?=[\p{Lu}0-9“"«(])/u)
    .map((s) => s.trim())
    .filter((s) => /\p{L}/u.test(s));
}

/** A node's text as the reader sees it: a <Term> shows its meaning in brackets right after the word. */
function readerText(node: MdNode): string {
  if (node.type === "text" || node.type === "inlineCode") return String(node.value ?? "");
  const inner = (node.children ?? []).map(readerText).join("");
  if ((node.type === "mdxJsxTextElement" || node.type === "mdxJsxFlowElement") && node.name === "Term") {
    const meaning = attribute(node, "meaning");
    return meaning ? `${inner} (${meaning})` : inner;
  }
  return inner;
}

const syllables = (sentence: string) => sentence.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

export function analyzeLesson(source: string): LessonAnalysis {
  const tree = parser.parse(source) as MdNode;
  const result: LessonAnalysis = {
    headings: [],
    stepLists: [],
    pictures: [],
    sentences: 0,
    longSentences: 0,
    appLabels: [],
    boldInSteps: [],
  };
  let section = "";
  // Pictures next to a step list (not inside one) belong to the nearest list of the same section.
  let sectionLists: StepList[] = [];
  let loosePictures: Picture[] = [];
  const settle = () => {
    for (const p of loosePictures) sectionLists[0]?.pictures.push(p);
    loosePictures = [];
  };

  const countProse = (node: MdNode) => {
    if (node.type === "paragraph" || node.type === "tableCell") {
      for (const s of sentencesOf(readerText(node))) {
        result.sentences++;
        if (syllables(s) > LONG_SENTENCE) result.longSentences++;
      }
      return;
    }
    if (node.type === "heading" || isPicture(node)) return;
    node.children?.forEach(countProse);
  };

  for (const node of tree.children ?? []) {
    if (node.type === "heading") {
      if (node.depth === 2) {
        settle();
        sectionLists = [];
        section = mdastText(node).trim();
        result.headings.push({ text: section, slug: headingSlug(section), line: node.position?.start.line });
      }
      continue;
    }
    countProse(node);
    const found = { pictures: [] as Picture[], bold: [] as string[], labels: [] as string[] };
    collect(node, found);
    result.pictures.push(...found.pictures);
    result.appLabels.push(...found.labels);
    if (node.type === "mdxJsxFlowElement" && node.name === "Steps") {
      const list = (node.children ?? []).find((c) => c.type === "list");
      const text = mdastText(node);
      // A picture drawn just before the list illustrates it too.
      const pictures = [...loosePictures, ...found.pictures];
      loosePictures = [];
      const drawsOnlyScenes =
        pictures.some((p) => p.component === "SceneDrawing") &&
        !pictures.some((p) => p.component === "PhoneScreen");
      const stepList: StepList = {
        line: node.position?.start.line,
        section,
        steps: list?.children?.length ?? 0,
        // A list drawn with a scene and no screen is about that scene (a call, a visit).
        aboutApp: APP_WORDS.test(text.replace(/không bấm/giu, "")) && !drawsOnlyScenes,
        pictures,
      };
      result.stepLists.push(stepList);
      result.boldInSteps.push(...found.bold);
      sectionLists.unshift(stepList);
    } else {
      loosePictures.push(...found.pictures);
    }
  }
  settle();
  return result;
}

// ─── The checks content:check runs on top of compiling ──────────────────────

export interface LessonReport {
  file: string;
  /** Source addresses content/SOURCES.md gives this lesson (0 when there is no such file). */
  sources?: number;
  sentences: number;
  longSentences: number;
  stepLists: StepList[];
}

export interface QuizReport {
  file: string;
  single: number;
  longestCorrect: number;
}

const rel = (abs: string) => path.relative(process.cwd(), abs) || abs;

/** The problems in one lesson and its quiz that the compiler does not see, and what to report. */
export function lintLesson(
  lesson: Lesson,
  source: string,
  issues: ContentIssue[],
  quizSource?: string,
): { lesson: LessonReport; quiz: QuizReport; analysis: LessonAnalysis } {
  const file = rel(lesson.absolutePath);
  let analysis: LessonAnalysis;
  try {
    analysis = analyzeLesson(source);
  } catch {
    // MDX that does not parse: the compiler has already said where.
    analysis = {
      headings: [],
      stepLists: [],
      pictures: [],
      sentences: 0,
      longSentences: 0,
      appLabels: [],
      boldInSteps: [],
    };
  }

  for (const list of analysis.stepLists) {
    if (list.aboutApp && !list.pictures.some((p) => p.component === "PhoneScreen")) {
      issues.push({
        file,
        line: list.line,
        message:
          `Danh sách bước ở mục “${list.section || "mở đầu"}” chỉ cách bấm trên ứng dụng ` +
          `nhưng chưa có hình màn hình: thêm <PhoneScreen … alt="…" /> ` +
          `cho bước đầu tiên và mỗi bước màn hình đổi`,
      });
    } else if (list.pictures.length === 0) {
      // A list about a scene (a call, a visit) or a thing to do gets a drawing too: no list is words only.
      issues.push({
        file,
        line: list.line,
        message:
          `Danh sách bước ở mục “${list.section || "mở đầu"}” chưa có hình: ` +
          `thêm <SceneDrawing … alt="…" /> (một cảnh) hoặc <PhoneScreen … alt="…" /> (một màn hình)`,
      });
    }
  }
  for (const p of analysis.pictures) {
    if (p.component === "SceneDrawing" && !(p.scene in SCENES)) {
      issues.push({
        file,
        line: p.line,
        message: `<SceneDrawing scene="${p.scene}">: scene chỉ được là ${Object.keys(SCENES).join(", ")}`,
      });
    }
    if (p.component === "PhoneScreen") {
      const pressed = p.items.filter((i) => parsePhoneItem(i).pressed).length;
      if (pressed > 1)
        issues.push({
          file,
          line: p.line,
          message: "<PhoneScreen>: chỉ đánh dấu * một nút cần bấm trên mỗi màn hình",
        });
      if (p.step !== undefined && !/^[1-9][0-9]?$/.test(p.step))
        issues.push({
          file,
          line: p.line,
          message: `<PhoneScreen step="${p.step}">: step là số của bước, ví dụ step="2"`,
        });
    }
    if (!p.alt)
      issues.push({
        file,
        line: p.line,
        message:
          `<${p.component}> cần thuộc tính alt="…": ` +
          `câu nói hình vẽ cho thấy gì (nút Đọc to đọc câu này)`,
      });
  }

  const slugs = new Set(analysis.headings.map((h) => h.slug));
  const quizFile = lesson.quiz.file;
  const lineOfQuestion = questionLines(quizSource);
  let single = 0;
  let longestCorrect = 0;
  for (const q of lesson.quiz.questions) {
    if (!q.teaches) {
      issues.push({
        file: quizFile,
        line: lineOfQuestion(q.id),
        message: `Câu ${q.id}: thiếu teaches: <mã mục ##> chỉ mục nào của bài dạy điều câu hỏi này hỏi`,
      });
    } else if (!slugs.has(q.teaches)) {
      issues.push({
        file: quizFile,
        line: lineOfQuestion(q.id, "teaches"),
        message:
          `Câu ${q.id}: teaches “${q.teaches}” không phải mục ## nào của bài. ` +
          `Các mục: ${[...slugs].join(", ")}`,
      });
    }
    if (q.type === "single") {
      single++;
      if (correctIsLongest(q)) longestCorrect++;
    }
  }
  return {
    lesson: {
      file,
      sentences: analysis.sentences,
      longSentences: analysis.longSentences,
      stepLists: analysis.stepLists,
    },
    quiz: { file: quizFile, single, longestCorrect },
    analysis,
  };
}

/** The line of a question (or of one of its keys) in the quiz file, for file:line messages. */
function questionLines(quizSource: string | undefined): (id: string, key?: string) => number | undefined {
  if (!quizSource) return () => undefined;
  const lines = new LineCounter();
  const doc = parseDocument(quizSource, { lineCounter: lines });
  const questions = doc.toJS()?.questions as { id?: string }[] | undefined;
  return (id, key) => {
    const index = questions?.findIndex((q) => q.id === id) ?? -1;
    if (index < 0) return undefined;
    const node = (doc.getIn(key ? ["questions", index, key] : ["questions", index], true) ??
      doc.getIn(["questions", index], true)) as { range?: [number, number, number] } | undefined;
    return node?.range ? lines.linePos(node.range[0]).line : undefined;
  };
}

/** True when the right option of a single-choice question is at least as long as every other one. */
export function correctIsLongest(q: Extract<Question, { type: "single" }>): boolean {
  const right = q.options.find((o) => o.id === q.answer);
  if (!right) return false;
  return q.options.every((o) => o.id === q.answer || o.text.length <= right.text.length);
}

/** Above this share of single-choice questions answered by "the longest option", quizzes measure little. */
export const MAX_LONGEST_CORRECT_SHARE = 0.5;

export function longestCorrectIssue(quizzes: QuizReport[], root: string): ContentIssue | null {
  const single = quizzes.reduce((n, q) => n + q.single, 0);
  const longest = quizzes.reduce((n, q) => n + q.longestCorrect, 0);
  if (single === 0 || longest / single <= MAX_LONGEST_CORRECT_SHARE) return null;
  const percent = Math.round((longest / single) * 100);
  return {
    file: rel(root),
    message:
      `${longest} trong ${single} câu một lựa chọn có đáp án đúng là lựa chọn dài nhất ` +
      `(${percent}%, tối đa 50%): hãy viết các lựa chọn sai dài như đáp án đúng, ` +
      `hoặc đáp án đúng ngắn gọn hơn`,
  };
}

// ─── content/SOURCES.md ─────────────────────────────────────────────────────

/**
 * How many source addresses content/SOURCES.md gives each lesson. A table row's first cell names
 * lessons as course-id/lesson-id (several allowed), or "same" for the lessons of the row above;
 * every http(s) address in the row counts for each of them.
 */
export function sourcesByLesson(markdown: string): Map<string, number> {
  const counts = new Map<string, number>();
  let current: string[] = [];
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("|") || /^\|\s*-/.test(line)) continue;
    const cells = line.split("|").map((c) => c.trim());
    const first = cells[1] ?? "";
    if (first === "Lesson") continue;
    if (first !== "same") current = [...first.matchAll(/([a-z0-9-]+\/(?:\*|[a-z0-9-]+))/g)].map((m) => m[1]!);
    const urls = (line.match(/https?:\/\/\S+/g) ?? []).length;
    const ownScreens = /HọcSố itself|Ward plan/.test(line) ? 1 : 0;
    for (const key of current) counts.set(key, (counts.get(key) ?? 0) + urls + ownScreens);
  }
  return counts;
}

/**
 * Lessons that must name their sources: every lesson of an optional course,
 * and lessons added to a core course.
 */
export function needsSources(lesson: Lesson, coreCourses: readonly string[]): boolean {
  return !coreCourses.includes(lesson.courseId) || Boolean(lesson.added);
}
