#!/usr/bin/env node
// Validates publiccode.yml: the JSON Schema of the standard 0.4 + Italian extension 0.2
// (publiccode.schema.json beside this file), then what a schema cannot say: the licence is a valid
// SPDX expression naming the licence of LICENSE, dates are real dates, files named by the file
// exist in the repository, every available language has a description.
//
//   node tests/packaging/check-publiccode.mjs [REPO_ROOT]
//
// Prints one line per problem ("publiccode.yml: <where>: <what>") and exits 1 when there is any;
// placeholders that must be replaced before publication are printed as warnings.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv = require("ajv");
const addFormats = require("ajv-formats");
const YAML = require("yaml");
const parseSpdx = require("spdx-expression-parse");

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] ?? join(here, "..", ".."));
const file = join(root, "publiccode.yml");
const errors = [];
const warnings = [];

const text = readFileSync(file, "utf8");
const doc = YAML.parseDocument(text, { version: "1.2", uniqueKeys: true });
for (const e of doc.errors) errors.push(`line ${e.linePos?.[0]?.line ?? "?"}: YAML: ${e.message}`);
const data = doc.toJS();

if (errors.length === 0) {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(here, "publiccode.schema.json"), "utf8")));
  if (!validate(data)) {
    for (const e of validate.errors) {
      const extra = e.params?.additionalProperty ? ` (${e.params.additionalProperty})`
        : e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : "";
      errors.push(`${e.instancePath || "/"}: ${e.message}${extra}`);
    }
  }

  // legal.license: an SPDX expression, and it must name the licence LICENSE carries.
  const license = data?.legal?.license;
  if (typeof license === "string") {
    const ids = [];
    try {
      const walk = (node) => {
        if (node.license) ids.push(node.license);
        if (node.left) walk(node.left);
        if (node.right) walk(node.right);
      };
      walk(parseSpdx(license));
    } catch (e) {
      errors.push(`/legal/license: "${license}" is not a valid SPDX expression (${e.message})`);
    }
    const licenseFile = join(root, "LICENSE");
    if (existsSync(licenseFile)) {
      const head = readFileSync(licenseFile, "utf8").slice(0, 400);
      const known = [
        [/EUROPEAN UNION PUBLIC LICENCE v\. 1\.2/, "EUPL-1.2"],
        [/GNU AFFERO GENERAL PUBLIC LICENSE\s+Version 3/, "AGPL-3.0"],
        [/Apache License\s+Version 2\.0/, "Apache-2.0"],
        [/MIT License/, "MIT"],
      ].find(([re]) => re.test(head));
      if (known && ids.length && !ids.some((id) => id.startsWith(known[1]))) {
        errors.push(`/legal/license: "${license}" does not name ${known[1]}, the licence in LICENSE`);
      }
    }
  }

  // Dates: format "date" checks the shape; also reject impossible days (2026-02-30).
  const dates = [["/releaseDate", data?.releaseDate]];
  (data?.maintenance?.contractors ?? []).forEach((c, i) =>
    dates.push([`/maintenance/contractors/${i}/until`, c?.until]));
  for (const [where, value] of dates) {
    if (typeof value !== "string") continue;
    const d = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
      errors.push(`${where}: "${value}" is not a calendar date`);
    }
  }
  if (data?.softwareVersion && !data?.releaseDate) {
    errors.push("/releaseDate: required when softwareVersion is given");
  }

  // Files the standard wants inside the repository.
  const local = [["/logo", data?.logo], ["/monochromeLogo", data?.monochromeLogo],
    ["/legal/authorsFile", data?.legal?.authorsFile]];
  for (const [lang, d] of Object.entries(data?.description ?? {})) {
    (d?.screenshots ?? []).forEach((s, i) => local.push([`/description/${lang}/screenshots/${i}`, s]));
  }
  for (const [where, value] of local) {
    if (typeof value !== "string" || /^https?:\/\//.test(value)) continue;
    if (!existsSync(join(root, value))) errors.push(`${where}: ${value} does not exist in the repository`);
  }

  // Every language the software is available in has its description.
  for (const lang of data?.localisation?.availableLanguages ?? []) {
    if (!data?.description?.[lang]) errors.push(`/description: no "${lang}" section, yet localisation lists it`);
  }

  // Placeholders: valid, but not publishable.
  if (typeof data?.url === "string" && /^https?:\/\/([^/]*\.)?example\.(org|com|net)\//.test(data.url)) {
    warnings.push(`/url: ${data.url} is a placeholder; set the public repository URL before publication`);
  }
}

for (const w of warnings) console.log(`publiccode.yml: warning: ${w}`);
for (const e of errors) console.log(`publiccode.yml: ${e}`);
if (errors.length) {
  console.log(`publiccode.yml: ${errors.length} problem(s)`);
  process.exit(1);
}
console.log("publiccode.yml: valid (publiccode.yml 0.4, it 0.2)");
