// Generates src/shared/api-schema.d.ts from the server's OpenAPI document.
//
//   node scripts/generate-types.mjs           # regenerate (commit the result)
//   node scripts/generate-types.mjs --check   # fail when the committed file is stale
//
// The document comes from OPENAPI_FILE when set, else from the server's CLI
// (`cargo run -q -p paidloop-server --bin paidloop -- openapi`, or PAIDLOOP_BIN).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const target = join(here, "..", "src", "shared", "api-schema.d.ts");
const check = process.argv.includes("--check");

function loadDocument() {
  if (process.env.OPENAPI_FILE) return readFileSync(process.env.OPENAPI_FILE, "utf8");
  const bin = process.env.PAIDLOOP_BIN ? resolve(process.env.PAIDLOOP_BIN) : "";
  const [cmd, args] = bin
    ? [bin, ["openapi"]]
    : ["cargo", ["run", "-q", "-p", "paidloop-server", "--bin", "paidloop", "--", "openapi"]];
  return execFileSync(cmd, args, { cwd: repo, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "inherit"] });
}

const document = JSON.parse(loadDocument());
const header =
  "// Generated from the server's OpenAPI document by scripts/generate-types.mjs.\n" +
  "// Do not edit by hand: run `npm run types:generate` after changing the API.\n\n";
const ast = await openapiTS(document, { alphabetize: true, emptyObjectsUnknown: true });
const output = header + astToString(ast);

if (check) {
  const current = existsSync(target) ? readFileSync(target, "utf8") : "";
  if (current !== output) {
    console.error("types: src/shared/api-schema.d.ts is out of date with the server's OpenAPI document.");
    console.error("       Run `npm run types:generate` in frontend/ and commit the result.");
    process.exit(1);
  }
  console.log("types: src/shared/api-schema.d.ts is up to date");
} else {
  writeFileSync(target, output);
  console.log(`types: wrote ${target}`);
}
