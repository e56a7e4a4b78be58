/**
 * Compiles one lesson with mdx-bundler, and checks it on the way: only the lesson components
 * with their required props, no raw HTML or { } expressions, no imports, links only to lessons
 * that exist. Used at build time and by `content:check`; in development also on the first view
 * of an edited lesson. Never imported on a production request path (see content.server.ts).
 */
import path from "node:path";
import type { ContentIssue, LessonSection } from "~/courses/content.server";
import { headingSlug } from "~/courses/slug";

/** The components a lesson may use, with the props each requires and allows. */
const COMPONENTS: Record<string, { required: string[]; allowed: string[] }> = {
  Steps: { required: [], allowed: [] },
  Callout: { required: ["type"], allowed: ["type", "title"] },
  Term: { required: ["word", "meaning"], allowed: ["word", "meaning"] },
  Figure: { required: ["src", "alt"], allowed: ["src", "alt", "caption"] },
  PhoneScreen: { required: ["app", "items", "alt"], allowed: ["app", "screen", "items", "step", "alt"] },
  SceneDrawing: { required: ["scene", "alt"], allowed: ["scene", "says", "reply", "who", "alt"] },
  AppLabel: { required: [], allowed: [] },
};
const CALLOUT_TYPES = ["tip", "warning", "scam"];

interface MdNode {
  type: string;
  name?: string | null;
  url?: string;
  depth?: number;
  value?: unknown;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: MdNode[];
  position?: { start: { line: number; column: number } };
}

interface CheckContext {
  file: string;
  linkable: Set<string>;
  issues: ContentIssue[];
  /** The lesson's `##` sections, in order, as the compile found them. */
  sections: LessonSection[];
}

function checkTree(tree: MdNode, ctx: CheckContext) {
  const report = (node: MdNode, message: string) =>
    ctx.issues.push({
      file: ctx.file,
      line: node.position?.start.line,
      column: node.position?.start.column,
      message,
    });

  const visit = (node: MdNode) => {
    switch (node.type) {
      case "mdxjsEsm":
        // remark-mdx-frontmatter adds an export of the frontmatter, with no position in the file.
        if (node.position) report(node, "Không dùng import/export trong bài học: các thành phần đã có sẵn");
        break;
      case "mdxFlowExpression":
      case "mdxTextExpression":
        report(node, "Không dùng dấu { } trong bài học (MDX hiểu đó là mã). Hãy viết bằng chữ");
        break;
      case "heading":
        if (node.depth === 1)
          report(node, "Không dùng tiêu đề # trong bài: tên bài nằm ở phần đầu; hãy dùng ## cho các mục");
        break;
      case "link":
        checkLink(node, node.url ?? "", ctx, report);
        break;
      case "mdxJsxFlowElement":
      case "mdxJsxTextElement":
        checkElement(node, report);
        break;
    }
    node.children?.forEach(visit);
  };
  visit(tree);
}

function checkLink(
  node: MdNode,
  url: string,
  ctx: CheckContext,
  report: (node: MdNode, message: string) => void,
) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//") || url.startsWith("www.")) {
    report(node, `Không đặt đường link ra trang ngoài (${url}); chỉ ghi tên trang bằng chữ`);
    return;
  }
  if (url.startsWith("/courses")) {
    const target = url.replace(/[?#].*$/, "").replace(/\/+$/, "");
    if (!ctx.linkable.has(target)) report(node, `Đường link đến bài không tồn tại: ${url}`);
  }
}

function checkElement(node: MdNode, report: (node: MdNode, message: string) => void) {
  const name = node.name ?? "";
  const spec = COMPONENTS[name];
  if (!spec) {
    report(
      node,
      /^[a-z]/.test(name) || !name
        ? `Không dùng thẻ HTML <${name}> trong bài học`
        : `Không có thành phần <${name}>; chỉ dùng ${Object.keys(COMPONENTS).join(", ")}`,
    );
    return;
  }
  const props = new Map<string, unknown>();
  for (const attribute of node.attributes ?? []) {
    if (attribute.type !== "mdxJsxAttribute" || !attribute.name) {
      report(node, `<${name}>: không dùng {…} trong thuộc tính`);
      continue;
    }
    if (!spec.allowed.includes(attribute.name))
      report(node, `<${name}> không có thuộc tính ${attribute.name}`);
    if (typeof attribute.value !== "string") {
      report(node, `<${name}>: thuộc tính ${attribute.name} phải là chữ trong dấu ngoặc kép`);
      continue;
    }
    props.set(attribute.name, attribute.value);
  }
  for (const required of spec.required) {
    const value = props.get(required);
    if (typeof value !== "string" || value.trim() === "")
      report(node, `<${name}> cần thuộc tính ${required}="…" (không để trống)`);
  }
  if (name === "Callout" && props.has("type") && !CALLOUT_TYPES.includes(String(props.get("type")))) {
    report(node, `<Callout type="${String(props.get("type"))}">: type chỉ được là tip, warning hoặc scam`);
  }
  if (name === "Steps" && !(node.children ?? []).some((c) => c.type === "list")) {
    report(
      node,
      "<Steps> phải bao quanh một danh sách đánh số (1. … 2. …), có dòng trống sau thẻ mở và trước thẻ đóng",
    );
  }
  if (name === "Term" && (node.children ?? []).length === 0)
    report(node, "<Term> cần chữ bên trong, ví dụ <Term …>OTP</Term>");
}

/** A remark plugin that records problems instead of stopping at the first. */
function remarkCheckLesson(ctx: CheckContext) {
  return (tree: MdNode) => checkTree(tree, ctx);
}

/** The words of a heading, as a reader sees them (a Term's word, not its meaning). */
function textOf(node: MdNode): string {
  if (node.type === "text" || node.type === "inlineCode") return String(node.value ?? "");
  return (node.children ?? []).map(textOf).join("");
}

type MdNodeWithData = MdNode & { data?: { hProperties?: Record<string, unknown> } };

/**
 * Where the reader is in a long lesson, without JavaScript: every `##` heading gets the id
 * headingSlug gives its words (quiz questions link to it with `teaches`), and each section ends
 * with a "Tiếp" link to the next one (the last to the end of the lesson, `#hoan-thanh`), so the
 * lesson reads as short screens. The sections are returned for the page's index.
 */
function remarkLessonSections(ctx: CheckContext) {
  return (tree: MdNode) => {
    const children = tree.children ?? [];
    const headings = children.filter((n) => n.type === "heading" && n.depth === 2) as MdNodeWithData[];
    ctx.sections = headings.map((h) => ({ id: headingSlug(textOf(h)), title: textOf(h).trim() }));
    headings.forEach((h, i) => {
      h.data = { ...h.data, hProperties: { ...h.data?.hProperties, id: ctx.sections[i]!.id, tabIndex: -1 } };
    });
    const nextLink = (index: number): MdNode => {
      const next = ctx.sections[index];
      const label = next
        ? `Tiếp: ${next.title} (mục ${index + 1}/${ctx.sections.length})`
        : "Tiếp: xong bài, làm bài kiểm tra";
      return {
        type: "paragraph",
        data: { hProperties: { className: ["section-next"] } },
        children: [
          {
            type: "link",
            url: `#${next ? next.id : "hoan-thanh"}`,
            children: [{ type: "text", value: `${label} ↓` }],
          },
        ],
      } as MdNode;
    };
    if (headings.length < 2) return;
    const out: MdNode[] = [];
    let seen = 0;
    for (const node of children) {
      if (node.type === "heading" && node.depth === 2) {
        if (seen > 0) out.push(nextLink(seen));
        seen++;
      }
      out.push(node);
    }
    out.push(nextLink(seen));
    tree.children = out;
  };
}

interface EsbuildMessage {
  text: string;
  location?: { line: number; column: number } | null;
  /** The MDX compiler's own message (a VFileMessage), when MDX itself failed. */
  detail?: VFileMessageLike & { cause?: VFileMessageLike };
}
interface VFileMessageLike {
  reason?: string;
  place?: { line?: number; column?: number; start?: { line: number; column: number } };
}

/**
 * Where an MDX error is: an unclosed tag names its opening tag's range in the reason, e.g. "(13:1-13:37)".
 */
function locate(m: EsbuildMessage): { line?: number; column?: number; reason: string } {
  const detail = m.detail?.cause?.reason ? m.detail.cause : m.detail;
  const reason = detail?.reason ?? m.text.replace(/^\[plugin: [^\]]+\]\s*/, "");
  const range = /\((\d+):(\d+)-\d+:\d+\)/.exec(reason);
  if (range) return { line: Number(range[1]), column: Number(range[2]), reason };
  const place = detail?.place;
  const start = place?.start ?? (place?.line ? { line: place.line, column: place.column ?? 1 } : undefined);
  if (start) return { ...start, reason };
  if (m.location && m.location.line > 0)
    return { line: m.location.line, column: m.location.column + 1, reason };
  return { reason };
}

export async function compileLesson(input: {
  source: string;
  /** Relative path, for messages. */
  file: string;
  absolutePath: string;
  linkable: Set<string>;
}): Promise<{ code?: string; sections: LessonSection[]; issues: ContentIssue[] }> {
  const ctx: CheckContext = { file: input.file, linkable: input.linkable, issues: [], sections: [] };
  try {
    // Loaded on first use: a production server only reads compiled lessons and never needs it.
    const { bundleMDX } = await import("mdx-bundler");
    const result = await bundleMDX({
      source: input.source,
      cwd: path.dirname(input.absolutePath),
      mdxOptions(options) {
        options.remarkPlugins = [
          ...(options.remarkPlugins ?? []),
          [remarkCheckLesson, ctx],
          [remarkLessonSections, ctx],
        ];
        return options;
      },
      esbuildOptions(options) {
        options.logLevel = "silent";
        options.target = "es2019";
        options.minify = true;
        // Vietnamese as UTF-8 rather than \u escapes: smaller, and readable in the cache.
        options.charset = "utf8";
        return options;
      },
    });
    if (ctx.issues.length > 0) return { sections: ctx.sections, issues: ctx.issues };
    return { code: result.code, sections: ctx.sections, issues: [] };
  } catch (error) {
    const messages = (error as { errors?: EsbuildMessage[] }).errors;
    if (Array.isArray(messages) && messages.length > 0) {
      for (const m of messages) {
        const { line, column, reason } = locate(m);
        ctx.issues.push({ file: input.file, line, column, message: `MDX không biên dịch được: ${reason}` });
      }
    } else {
      ctx.issues.push({ file: input.file, message: `MDX không biên dịch được: ${(error as Error).message}` });
    }
    return { sections: ctx.sections, issues: ctx.issues };
  }
}
