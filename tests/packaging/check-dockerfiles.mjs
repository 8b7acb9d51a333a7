#!/usr/bin/env node
// Checks Dockerfile and deploy/compose/demo.Dockerfile without building them (no daemon needed):
//  - dockerfile-utils' validator (the one behind the VS Code Docker extension): syntax, flags,
//    arguments of every instruction;
//  - every COPY/ADD source taken from the build context exists and is not dropped by .dockerignore;
//    every COPY --from names an earlier stage;
//  - the varco build stage copies every source folder CMakeLists.txt adds (outside tests/), and
//    installs only packages that scripts/lib.sh lists for the host build;
//  - the runtime stage runs as a non-root user, has EXPOSE, a HEALTHCHECK on /healthz and
//    ENTRYPOINT ["varco"]; with --runtime-libs PKG,PKG (the Debian packages of the shared libraries
//    the built varco binary loads, from scripts/check-packaging) it installs each of them.
//
//   node tests/packaging/check-dockerfiles.mjs [--root DIR] [--runtime-libs a,b,c]
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { validate } = require("dockerfile-utils");
const { DockerfileParser } = require("dockerfile-ast");

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = resolve(option("--root") ?? join(here, "..", ".."));
const runtimeLibs = (option("--runtime-libs") ?? "").split(",").filter(Boolean);
const problems = [];
const problem = (file, line, what) => problems.push(`${file}:${line}: ${what}`);

// .dockerignore: the patterns this repository uses (*, **, a trailing /, a leading !).
const ignoreRules = existsSync(join(root, ".dockerignore"))
  ? readFileSync(join(root, ".dockerignore"), "utf8").split("\n").map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#")).map((l) => {
      const negate = l.startsWith("!");
      const glob = (negate ? l.slice(1) : l).replace(/^\/+/, "").replace(/\/+$/, "");
      const re = glob.split("/").map((part) => part === "**" ? "(?:.*)"
        : part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]"))
        .join("/").replace(/\(\?:\.\*\)\//g, "(?:.*/)?");
      return { negate, re: new RegExp(`^${re}(?:/.*)?$`) };
    })
  : [];
const ignored = (path) => {
  const p = path.replace(/^\.\/+/, "").replace(/\/+$/, "");
  let out = false;
  for (const rule of ignoreRules) if (rule.re.test(p)) out = !rule.negate;
  return out;
};

// The Debian packages scripts/lib.sh installs for the host build (VARCO_PACKAGES=( ... )).
const libSh = readFileSync(join(root, "scripts", "lib.sh"), "utf8");
const hostPackages = new Set((libSh.match(/VARCO_PACKAGES=\(([\s\S]*?)\)/)?.[1] ?? "")
  .split(/\s+/).filter((w) => w && !w.startsWith("#")));

// Source folders CMakeLists.txt adds, outside tests/.
const cmake = readFileSync(join(root, "CMakeLists.txt"), "utf8");
const sourceDirs = [...cmake.matchAll(/add_subdirectory\(\s*([^\s)]+)/g)].map((m) => m[1])
  .filter((d) => !d.startsWith("tests"));

const aptInstalled = (run) => {
  const m = run.match(/apt-get install\s+([\s\S]*?)(?:&&|$)/);
  if (!m) return [];
  return m[1].replace(/\\\n/g, " ").split(/\s+/).filter((w) => w && !w.startsWith("-"));
};

function checkFile(rel, { varco }) {
  const path = join(root, rel);
  if (!existsSync(path)) return problem(rel, 0, "missing");
  const text = readFileSync(path, "utf8");
  for (const d of validate(text)) {
    problem(rel, d.range.start.line + 1, `${d.severity === 1 ? "error" : "warning"}: ${d.message}`);
  }
  const dockerfile = DockerfileParser.parse(text);
  const stages = [];
  let current = null;
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const line = instruction.getRange().start.line + 1;
    const argv = instruction.getArguments().map((a) => a.getValue());
    if (keyword === "FROM") {
      const as = argv.findIndex((a) => a.toLowerCase() === "as");
      current = { name: as >= 0 ? argv[as + 1] : String(stages.length), line, copies: [], apt: [],
        user: null, expose: false, healthcheck: "", entrypoint: "" };
      stages.push(current);
      continue;
    }
    if (!current) continue;
    if (keyword === "COPY" || keyword === "ADD") {
      const from = instruction.getFlags().find((f) => f.getName() === "from")?.getValue();
      const sources = argv.slice(0, -1);
      if (from !== undefined) {
        if (!stages.slice(0, -1).some((s) => s.name === from)) {
          problem(rel, line, `COPY --from=${from}: no earlier stage of that name`);
        }
        continue;
      }
      for (const src of sources) {
        current.copies.push(src.replace(/\/+$/, ""));
        if (!existsSync(join(root, src))) problem(rel, line, `${keyword} source ${src} does not exist`);
        else if (ignored(src)) problem(rel, line, `${keyword} source ${src} is excluded by .dockerignore`);
      }
    }
    if (keyword === "RUN") current.apt.push(...aptInstalled(instruction.getArgumentsContent() ?? ""));
    if (keyword === "USER") current.user = argv[0] ?? "";
    if (keyword === "EXPOSE") current.expose = true;
    if (keyword === "HEALTHCHECK") current.healthcheck = instruction.getArgumentsContent() ?? "";
    if (keyword === "ENTRYPOINT") current.entrypoint = (instruction.getArgumentsContent() ?? "").trim();
  }
  if (!stages.length) return problem(rel, 1, "no FROM");
  for (const s of stages) {
    for (const image of [text.split("\n")[s.line - 1]]) {
      if (!/debian:(bookworm|12)/.test(image) && !/\$\{?DEBIAN_IMAGE/.test(image)) {
        problem(rel, s.line, `stage ${s.name} is not based on Debian 12`);
      }
    }
  }
  if (!/ARG DEBIAN_IMAGE=debian:(bookworm-slim|bookworm|12|12-slim)\b/.test(text) && /DEBIAN_IMAGE/.test(text)) {
    problem(rel, 1, "ARG DEBIAN_IMAGE must default to a Debian 12 image");
  }
  const final = stages[stages.length - 1];
  if (!final.user || /^(root|0)(:|$)/.test(final.user)) problem(rel, final.line, "the final stage must set a non-root USER");
  if (!varco) return;

  const build = stages.find((s) => s.name === "build");
  if (!build) return problem(rel, 1, "no stage named build");
  for (const dir of sourceDirs) {
    if (!build.copies.some((c) => dir === c || dir.startsWith(`${c}/`))) {
      problem(rel, build.line, `the build stage does not COPY ${dir}/ (add_subdirectory in CMakeLists.txt)`);
    }
  }
  for (const pkg of build.apt) {
    if (!hostPackages.has(pkg)) problem(rel, build.line, `build stage installs ${pkg}, which scripts/lib.sh does not list`);
  }
  if (!final.expose) problem(rel, final.line, "the runtime stage has no EXPOSE");
  if (!final.healthcheck.includes("/healthz")) problem(rel, final.line, "the runtime stage has no HEALTHCHECK on /healthz");
  if (final.entrypoint !== '["varco"]') problem(rel, final.line, `ENTRYPOINT is ${final.entrypoint || "missing"}, expected ["varco"]`);
  for (const pkg of runtimeLibs) {
    if (!final.apt.includes(pkg)) {
      problem(rel, final.line, `the runtime stage does not install ${pkg} (the built varco loads a library from it)`);
    }
  }
}

checkFile("Dockerfile", { varco: true });
checkFile("deploy/compose/demo.Dockerfile", { varco: false });
for (const p of problems) console.log(p);
if (problems.length) {
  console.log(`Dockerfiles: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`Dockerfiles: valid (Dockerfile, deploy/compose/demo.Dockerfile${runtimeLibs.length ? `; runtime libraries: ${runtimeLibs.join(" ")}` : ""})`);
