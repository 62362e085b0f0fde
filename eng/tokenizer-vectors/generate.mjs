// Reference encodings for the Qwen2.5 tokenizer, made with Hugging Face's JavaScript tokenizers
// (@huggingface/tokenizers, the tokenizer of transformers.js) and Hugging Face's Jinja engine
// (@huggingface/jinja): implementations independent of Rlsc.Tokenization, so the NUnit parity tests
// compare two codebases, not one with itself.
//
//   npm ci && node generate.mjs [TOKENIZER_DIR] [EVAL_DATA_DIR] [OUT_JSON]
//
// Defaults: ../../../shared/models/qwen2.5-tokenizer, ../../../shared/eval-data,
// ../../tests/Rlsc.Runtime.Tests/Tokenization/TestData/qwen25-reference.json
// The output is deterministic (fixed texts, a seeded generator for the random ones).

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Tokenizer } from "@huggingface/tokenizers";
import { Template } from "@huggingface/jinja";

const here = dirname(fileURLToPath(import.meta.url));
const tokenizerDir = resolve(process.argv[2] ?? join(here, "../../../shared/models/qwen2.5-tokenizer"));
const evalDir = resolve(process.argv[3] ?? join(here, "../../../shared/eval-data"));
const outPath = resolve(process.argv[4] ?? join(here, "../../tests/Rlsc.Runtime.Tests/Tokenization/TestData/qwen25-reference.json"));

const tokenizerBytes = readFileSync(join(tokenizerDir, "tokenizer.json"));
const configBytes = readFileSync(join(tokenizerDir, "tokenizer_config.json"));
const tokenizerJson = JSON.parse(tokenizerBytes.toString("utf8"));
const tokenizerConfig = JSON.parse(configBytes.toString("utf8"));
// clean_up_tokenization_spaces is false in Qwen's config; transformers.js defaults it to true when absent.
const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
const sha256 = (b) => createHash("sha256").update(b).digest("hex");

// Hand-picked texts: each line exercises one part of the pipeline (regex split, NFC, byte-level, BPE, added tokens).
const handPicked = [
  "Hello world",
  "Hello, world! How's it going? I'd say we're fine, they'll see, you've won, I'm here.",
  "HELLO WORLD'S END 'S 'T 'RE",
  "  leading spaces",
  "trailing spaces   ",
  "a    b\t\tc \t d",
  "\n",
  "\n\n\n",
  "line one\nline two\r\nline three\rline four",
  "   \n   \n\n  x",
  "tabs\tand\u00a0non-breaking\u2003em spaces\u3000ideographic",
  "1234567890",
  "3.14159265358979323846264338327950288419716939937510",
  "x = 1,000,000 and y = -0.000123e-45; 12:30 pm; 2024-06-07",
  "The answer is 073.",
  "\\boxed{\\frac{1}{2}}",
  "$\\sqrt{x^2+y^2} \\le \\int_0^{\\infty} e^{-t^2}\\,dt = \\frac{\\sqrt{\\pi}}{2}$",
  "\\begin{pmatrix} -1/3 \\\\ 2/3 \\\\ 5/3 \\end{pmatrix}",
  "\\left( 3, \\frac{\\pi}{2} \\right)",
  "Let $f(x)=\\sum_{k=1}^{n} \\binom{n}{k} x^k$ for $x \\in \\mathbb{R}$.",
  "def f(x):\n    return {\"a\": [1, 2, 3]}  # comment\n\nif __name__ == '__main__':\n\tprint(f(0))",
  "for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; }",
  "emoji: 😀 👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️ ✓",
  "中文文本：你好，世界！数学题：求 $x$ 的值。",
  "日本語のテキストとカタカナ、ひらがな。한국어 텍스트.",
  "Ελληνικά, русский текст, العربية, עברית, हिन्दी",
  "café naïve résumé Ångström façade jalapeño",
  "decomposed: cafe\u0301 nai\u0308ve A\u030angstro\u0308m",
  "ligatures ﬁ ﬂ and full-width ＡＢＣ１２３",
  "math letters: 𝑥 𝑦 𝟙 𝔽 𝓛 and 𝟏𝟐𝟑",
  "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
  "<|endoftext|>",
  "text<|endoftext|>more text<|im_end|>",
  "<|im_start|><|im_start|><|im_end|>",
  "<|im_start |> not special, <|im_start|> special, <|unknown|> not a token",
  "<tool_call>\n{\"name\": \"f\"}\n</tool_call>",
  "<|fim_prefix|>def<|fim_suffix|>return<|fim_middle|>",
  "''''\"\"\"``` --- === *** ___ ~~~ ...",
  "!!!???,,,;;;:::((()))[[[]]]{{{}}}",
  "a'sb 's 'S x'll y'LL z'Ve",
  "https://example.com/path?q=1&r=two#frag user@example.org",
  "\u200b zero width \u200d joiner \ufeff bom",
  "control \u0001\u0002\u001f chars and \u007f del",
  "",
  " ",
  "a",
];

// Random strings from a seeded generator (mulberry32): mixes the classes the pre-tokenizer regex tells apart.
function mulberry32(seed) {
  return function () {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20250607);
const pieces = [
  "a", "b", "Z", "the", "The", "ing", "'s", "'LL", "'", "é", "e\u0301", "ß", "ñ",
  "0", "7", "42", "1000", "٣", "½",
  " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000",
  ".", ",", "!", "?", "\\", "{", "}", "$", "^", "_", "(", ")", "=", "+", "-", "*", "/", "<", ">", "|",
  "中", "文", "字", "あ", "ア", "한",
  "😀", "👍🏽", "🇫🇷", "𝑥", "𝟙", "\u{20000}",
  "<|im_start|>", "<|im_end|>", "<|endoftext|>",
];
const randomTexts = [];
for (let i = 0; i < 120; i++) {
  const n = 1 + Math.floor(random() * 40);
  let s = "";
  for (let j = 0; j < n; j++) s += pieces[Math.floor(random() * pieces.length)];
  randomTexts.push(s);
}

// Real benchmark text: problems and solutions from each suite (the first rows, so the set is stable).
const suites = { aime24: 10, amc23: 10, math500: 12, minerva_math: 8, olympiadbench: 8, gsm8k: 10 };
const benchTexts = [];
for (const [suite, count] of Object.entries(suites)) {
  const lines = readFileSync(join(evalDir, suite, "test.jsonl"), "utf8").split("\n").filter((l) => l.trim() !== "");
  for (const line of lines.slice(0, count)) {
    const row = JSON.parse(line);
    for (const field of ["problem", "question", "solution", "answer"]) {
      const value = row[field];
      if (typeof value === "string" && value.length > 0 && !benchTexts.some((b) => b.text === value))
        benchTexts.push({ source: `${suite}/${field}`, text: value });
      else if (Array.isArray(value) && typeof value[0] === "string")
        benchTexts.push({ source: `${suite}/${field}[0]`, text: value[0] });
    }
  }
}

const cases = [
  ...handPicked.map((text, i) => ({ source: `hand/${i}`, text })),
  ...randomTexts.map((text, i) => ({ source: `random/${i}`, text })),
  ...benchTexts,
];

function encodeCase({ source, text }) {
  const enc = tokenizer.encode(text, { add_special_tokens: false });
  const withSpecial = tokenizer.encode(text, { add_special_tokens: true });
  if (JSON.stringify(withSpecial.ids) !== JSON.stringify(enc.ids))
    throw new Error(`Qwen2.5 adds no special tokens, but ${source} differs with add_special_tokens`);
  const decode = (ids, skip) => (ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: skip, clean_up_tokenization_spaces: false }));
  return { source, text, ids: enc.ids, tokens: enc.tokens, decoded: decode(enc.ids, false), decoded_skip_special: decode(enc.ids, true) };
}

// Decoding of id sequences that are not whole encodings: split UTF-8 sequences (replacement characters)
// and special tokens in the middle.
// " 👍🏽" is three tokens: 20 F0 9F 91 | 8D | F0 9F 8F BD, so a prefix ends inside a UTF-8 sequence.
const emojiIds = tokenizer.encode(" 👍🏽", { add_special_tokens: false }).ids;
if (emojiIds.length !== 3) throw new Error(`expected 3 tokens for " 👍🏽", got ${emojiIds.length}`);
const imEnd = tokenizer.token_to_id("<|im_end|>");
const decodeCases = [
  { source: "decode/emoji-prefix", ids: emojiIds.slice(0, 1) },
  { source: "decode/emoji-suffix", ids: emojiIds.slice(1) },
  { source: "decode/emoji-split-by-special", ids: [emojiIds[0], imEnd, ...emojiIds.slice(1)] },
  { source: "decode/ids-0-200", ids: Array.from({ length: 200 }, (_, i) => i) },
  { source: "decode/high-ids", ids: [151000, 151642, 151643, 151644, 151645, 151657, 151664] },
].map(({ source, ids }) => ({
  source,
  ids,
  decoded: tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false }),
  decoded_skip_special: tokenizer.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false }),
}));

// Chat templates: the real chat_template of tokenizer_config.json rendered for one user turn with the generation
// prompt, with and without a system message (the Qwen2.5-Math prompt is the same template with its system text).
const template = new Template(tokenizerConfig.chat_template);
const mathSystem = "Please reason step by step, and put your final answer within \\boxed{}.";
const question = benchTexts[0].text;
const chatCases = [
  { source: "chat/qwen25-chat", template: "qwen25-chat", system: null, question },
  { source: "chat/qwen25-math-cot", template: "qwen25-math-cot", system: mathSystem, question },
  { source: "chat/custom-system", template: "qwen25-chat", system: "You are terse.", question: "What is 2+2?" },
].map((c) => {
  const messages = c.system === null ? [] : [{ role: "system", content: c.system }];
  messages.push({ role: "user", content: c.question });
  const rendered = template.render({ messages, add_generation_prompt: true, bos_token: "", eos_token: tokenizerConfig.eos_token });
  return { ...c, rendered, ids: tokenizer.encode(rendered, { add_special_tokens: false }).ids };
});

// Bulk parity: every problem, question, solution and answer string of the six suites (about 5,700 texts). Only a
// short hash of each encoding is stored (sha256 of the ids joined by ","), so the file stays small; the test
// recomputes it from our ids.
const bulk = [];
for (const suite of Object.keys(suites)) {
  const lines = readFileSync(join(evalDir, suite, "test.jsonl"), "utf8").split("\n").filter((l) => l.trim() !== "");
  lines.forEach((line, row) => {
    const record = JSON.parse(line);
    for (const field of ["problem", "question", "solution", "answer"]) {
      const value = record[field];
      if (typeof value !== "string" || value.length === 0) continue;
      const ids = tokenizer.encode(value, { add_special_tokens: false }).ids;
      bulk.push({ suite, row, field, n: ids.length, h: sha256(Buffer.from(ids.join(","))).slice(0, 16) });
    }
  });
}

const output = {
  generator: "eng/tokenizer-vectors/generate.mjs with @huggingface/tokenizers 0.2.0 and @huggingface/jinja 0.5.11",
  tokenizer_json_sha256: sha256(tokenizerBytes),
  tokenizer_config_sha256: sha256(configBytes),
  vocab_size_with_added: tokenizer.get_vocab(true).size,
  special_ids: Object.fromEntries(["<|endoftext|>", "<|im_start|>", "<|im_end|>"].map((t) => [t, tokenizer.token_to_id(t)])),
  cases: cases.map(encodeCase),
  decode_cases: decodeCases,
  chat_cases: chatCases,
};
mkdirSync(dirname(outPath), { recursive: true });
// The hashed encodings one per line, so the file stays readable and diffs stay small.
const body = JSON.stringify(output, null, 1);
const bulkJson = `,\n "bulk_cases": [\n${bulk.map((b) => "  " + JSON.stringify(b)).join(",\n")}\n ]\n}`;
writeFileSync(outPath, body.slice(0, body.lastIndexOf("}")).trimEnd() + bulkJson + "\n");
// A tokenizer written by Rlsc's TokenizerBuilder (committed next to the output): Hugging Face's loader must accept
// it, and its encodings become the reference for the builder's parity test.
const builderDir = join(dirname(outPath), "builder-tokenizer");
const builder = new Tokenizer(
  JSON.parse(readFileSync(join(builderDir, "tokenizer.json"), "utf8")),
  JSON.parse(readFileSync(join(builderDir, "tokenizer_config.json"), "utf8")));
const builderCases = [...handPicked, ...randomTexts, "the thing is sitting on the sofa", "café \\frac{12}{3}\n\n  tt"].map((text) => {
  const ids = builder.encode(text, { add_special_tokens: false }).ids;
  const decode = (skip) => (ids.length === 0 ? "" : builder.decode(ids, { skip_special_tokens: skip, clean_up_tokenization_spaces: false }));
  return { text, ids, decoded: decode(false), decoded_skip_special: decode(true) };
});
writeFileSync(join(dirname(outPath), "builder-reference.json"), JSON.stringify(builderCases, null, 1) + "\n");

console.log(`wrote ${output.cases.length} encodings, ${decodeCases.length} decodings, ${chatCases.length} chat prompts, ${bulk.length} hashed encodings to ${outPath}; ${builderCases.length} builder-tokenizer encodings`);
