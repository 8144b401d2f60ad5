/**
 * Module resolution hooks (`module.register`) that hand the proxy a counting task store:
 * every `import … from "@miroir/taskstore"` resolves to `counted-task-store.js`, except
 * that module's own import of the real package. Loaded only in the counting Miroir child.
 */
interface HookData {
  readonly wrapperUrl: string;
}

interface ResolveContext {
  readonly parentURL?: string;
}

type NextResolve = (specifier: string, context: ResolveContext) => Promise<unknown>;

let wrapperUrl = "";

export async function initialize(data: HookData): Promise<void> {
  wrapperUrl = data.wrapperUrl;
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve,
): Promise<unknown> {
  if (specifier === "@miroir/taskstore" && context.parentURL !== wrapperUrl) {
    return { url: wrapperUrl, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
