// Writes docs/configuration.md and examples/miroir.full.yaml from the built schema.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderConfigurationReference, renderFullExample } from "../dist/index.js";

const root = (path) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

writeFileSync(root("docs/configuration.md"), renderConfigurationReference());
writeFileSync(root("examples/miroir.full.yaml"), renderFullExample());
console.log("wrote docs/configuration.md and examples/miroir.full.yaml");
