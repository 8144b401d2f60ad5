import { beforeAll, describe, expect, it } from "vitest";
import type { Container } from "./manifests.js";
import { type RenderedChart, renderChart } from "./render-chart.js";

let bundled: RenderedChart;
let plain: RenderedChart;

beforeAll(async () => {
  [bundled, plain] = await Promise.all([
    renderChart({ valuesFiles: ["ci/ha-redis-hpa-values.yaml"] }),
    renderChart(),
  ]);
});

describe("the bundled Redis", () => {
  it("requires a generated password and runs in protected mode", () => {
    const redis = bundled.one("StatefulSet", "search-miroir-redis");
    const container = redis.spec.template.spec.containers[0] as Container;
    const args = container.args ?? [];
    expect(args[args.indexOf("--protected-mode") + 1]).toBe("yes");
    expect(args[args.indexOf("--requirepass") + 1]).toBe("$(REDIS_PASSWORD)");
    const password = container.env?.find((env) => env.name === "REDIS_PASSWORD");
    const ref = password?.valueFrom?.secretKeyRef as { name: string; key: string };
    const secret = bundled.one("Secret", ref.name);
    const value = Buffer.from(String(secret.data[ref.key]), "base64");
    expect(value.toString()).toMatch(/^[A-Za-z0-9]{32}$/);
    for (const probe of [container.livenessProbe, container.readinessProbe]) {
      expect(probe?.exec?.command.join(" ")).toContain('-a "$REDIS_PASSWORD"');
    }
  });

  it("gives the proxy the password in its Redis URL through the environment, never the ConfigMap", () => {
    const env = bundled.one("Deployment").spec.template.spec.containers[0]?.env as {
      name: string;
      value?: string;
      valueFrom?: { secretKeyRef: { name: string; key: string } };
    }[];
    const password = env.find((entry) => entry.name === "MIROIR_REDIS_PASSWORD");
    expect(password?.valueFrom?.secretKeyRef.name).toBe("search-miroir-redis-auth");
    const url = env.find((entry) => entry.name === "MIROIR_TASK_STORE__URL")?.value;
    expect(url).toMatch(/^redis:\/\/:\$\(MIROIR_REDIS_PASSWORD\)@search-miroir-redis\./);
    expect(JSON.stringify(bundled.miroirConfig())).not.toContain("MIROIR_REDIS_PASSWORD");
  });

  it("takes its password from an existing Secret instead when told", async () => {
    const chart = await renderChart({
      valuesFiles: ["ci/ha-redis-hpa-values.yaml"],
      set: { "redis.auth.existingSecret": "my-redis", "redis.auth.existingSecretKey": "pw" },
    });
    expect(chart.all("Secret").map((secret) => secret.metadata.name)).not.toContain(
      "search-miroir-redis-auth",
    );
    const container = chart.one("StatefulSet", "search-miroir-redis").spec.template.spec
      .containers[0] as Container;
    const password = container.env?.find((env) => env.name === "REDIS_PASSWORD");
    expect(password?.valueFrom?.secretKeyRef).toEqual({ name: "my-redis", key: "pw" });
  });
});

describe("network policies", () => {
  it("are on by default, letting only the proxy reach the nodes and Redis", () => {
    expect(plain.all("NetworkPolicy").length).toBeGreaterThan(0);
    const proxyPods = bundled.one("Deployment").spec.template.metadata.labels;
    for (const component of ["meilisearch", "redis"]) {
      const policy = bundled.one("NetworkPolicy", `search-miroir-${component}`);
      expect((policy.spec as { policyTypes?: string[] }).policyTypes).toEqual(["Ingress"]);
      expect(policy.spec.ingress).toHaveLength(1);
      const peers = policy.spec.ingress[0]?.from ?? [];
      expect(peers).toHaveLength(1);
      expect(Object.keys(peers[0] ?? {})).toEqual(["podSelector"]);
      for (const [label, value] of Object.entries(peers[0]?.podSelector?.matchLabels ?? {})) {
        expect(proxyPods[label]).toBe(value);
      }
    }
  });
});

describe("the proxy's Service", () => {
  it("never exposes the metrics port", () => {
    for (const chart of [plain, bundled]) {
      const service = chart.one("Service", "search-miroir");
      expect(service.spec.ports.map((port: { name: string }) => port.name)).toEqual(["http"]);
    }
  });
});
