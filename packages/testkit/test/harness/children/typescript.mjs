// `node --conditions=@miroir/source --import ./typescript.mjs child.ts`
import { register } from "node:module";

register("./typescript-hooks.mjs", import.meta.url);
