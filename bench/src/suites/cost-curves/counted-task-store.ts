import {
  openTaskStore as openRealTaskStore,
  type TaskStore,
  type TaskStoreConfig,
} from "@miroir/taskstore";

export * from "@miroir/taskstore";

/**
 * Calls made on the task store, by method path (`tasks.create`, `jobs.list`, …), since
 * the process started. The proxy receives this module in place of `@miroir/taskstore`
 * (see `taskstore-hooks.ts`), so every call it makes is counted, on either backend.
 */
export const storeCalls = new Map<string, number>();

function counted<T extends object>(target: T, path: string): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver);
      if (typeof value === "function") {
        const name = `${path}${String(key)}`;
        return (...args: unknown[]) => {
          storeCalls.set(name, (storeCalls.get(name) ?? 0) + 1);
          return value.apply(object, args);
        };
      }
      if (value !== null && typeof value === "object")
        return counted(value, `${path}${String(key)}.`);
      return value;
    },
  });
}

export async function openTaskStore(config: TaskStoreConfig): Promise<TaskStore> {
  return counted(await openRealTaskStore(config), "");
}
