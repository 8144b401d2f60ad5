import { beforeAll, describe, expect, it } from "vitest";
import type { Container } from "./manifests.js";
import { NAMESPACE, type RenderedChart, renderChart } from "./render-chart.js";

let chart: RenderedChart;
let proxy: Container;

beforeAll(async () => {
  chart = await renderChart({ valuesFiles: ["ci/single-replica-sqlite-values.yaml"] });
  const container = chart.one("Deployment").spec.template.spec.containers[0];
  if (!container) throw new Error("the Deployment has no container");
  proxy = container;
});

describe("one proxy with the SQLite task store in front of external nodes", () => {
  it("renders Miroir's config file with the exact keys the config package reads", () => {
    expect(chart.miroirConfig()).toEqual({
      shards: 16,
      replication_factor: 1,
      replica_groups: 1,
      nodes: [0, 1, 2].map((i) => ({
        id: `node-${i}`,
        address: `http://meili-${i}.search.svc.cluster.local:7700`,
        replica_group: 0,
      })),
      task_store: { backend: "sqlite", path: "/data/miroir.db", url: null, key_prefix: "miroir:" },
      admin: { enabled: true },
      health: {
        interval_ms: 2000,
        timeout_ms: 1000,
        unhealthy_threshold: 3,
        recovery_threshold: 2,
      },
      scatter: { node_timeout_ms: 5000, unavailable_shard_policy: "partial" },
      server: { host: "0.0.0.0", port: 7700, metrics_port: 9090, replicas: 1, log_level: "info" },
      leader_election: { enabled: false },
    });
  });

  it("keeps every secret out of the ConfigMap", () => {
    const text = chart.one("ConfigMap").data["miroir.yaml"] ?? "";
    expect(text).not.toMatch(/master_key|api_key|ci-master-key|ci-admin-api-key/);
  });

  it("runs one proxy reading the mounted config file", () => {
    const deployment = chart.one("Deployment");
    expect(deployment.spec.replicas).toBe(1);
    expect(proxy.args).toEqual(["--config", "/etc/miroir/miroir.yaml"]);
    expect(proxy.volumeMounts).toContainEqual({
      name: "config",
      mountPath: "/etc/miroir",
      readOnly: true,
    });
    const configVolume = deployment.spec.template.spec.volumes?.find((v) => v.name === "config");
    expect(configVolume?.configMap?.name).toBe(chart.one("ConfigMap").metadata.name);
  });

  it("probes liveness on /health and readiness on /_miroir/ready", () => {
    expect(proxy.livenessProbe?.httpGet).toEqual({ path: "/health", port: "http" });
    expect(proxy.readinessProbe?.httpGet).toEqual({ path: "/_miroir/ready", port: "http" });
  });

  it("exposes the API on 7700 and metrics on 9090, each with its Service", () => {
    expect(proxy.ports?.map((p) => [p.name, p.containerPort])).toEqual([
      ["http", 7700],
      ["metrics", 9090],
    ]);
    const podLabels = chart.one("Deployment").spec.template.metadata.labels;
    const services = chart.all("Service");
    expect(services.map((s) => s.spec.ports.map((p) => [p.name, p.port, p.targetPort]))).toEqual(
      expect.arrayContaining([[["http", 7700, "http"]], [["metrics", 9090, "metrics"]]]),
    );
    for (const service of services) {
      expect(podLabels).toMatchObject(service.spec.selector);
    }
  });

  it("reads the three keys from the Secret as environment variables", () => {
    const secret = chart.one("Secret");
    const fromSecret = Object.fromEntries(
      (proxy.env ?? [])
        .filter((e) => e.valueFrom?.secretKeyRef)
        .map((e) => [e.name, e.valueFrom?.secretKeyRef]),
    );
    expect(fromSecret).toEqual({
      MIROIR_MASTER_KEY: { name: secret.metadata.name, key: "masterKey" },
      MIROIR_NODE_MASTER_KEY: { name: secret.metadata.name, key: "nodeMasterKey" },
      MIROIR_ADMIN_API_KEY: { name: secret.metadata.name, key: "adminApiKey" },
    });
    const decoded = Object.fromEntries(
      Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
    );
    expect(decoded).toEqual({
      masterKey: "ci-master-key-0123456789",
      nodeMasterKey: "ci-node-master-key-0123456789",
      adminApiKey: "ci-admin-api-key-0123456789",
    });
  });

  it("runs as non-root with a read-only root filesystem, writing only to /data and /tmp", () => {
    const pod = chart.one("Deployment").spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(proxy.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    const writable = (proxy.volumeMounts ?? []).filter((m) => !m.readOnly).map((m) => m.mountPath);
    expect(writable.sort()).toEqual(["/data", "/tmp"]);
    const emptyDirs = (pod.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name);
    expect(emptyDirs.sort()).toEqual(["data", "tmp"]);
  });

  it("sets resources on the proxy", () => {
    expect(proxy.resources?.requests).toEqual({ cpu: "250m", memory: "256Mi" });
    expect(proxy.resources?.limits).toEqual({ cpu: "2", memory: "3840Mi" });
  });

  it("renders no StatefulSet, Redis, HPA or PodDisruptionBudget for a single external-node proxy", () => {
    expect(chart.all("StatefulSet")).toEqual([]);
    expect(chart.all("HorizontalPodAutoscaler")).toEqual([]);
    expect(chart.all("PodDisruptionBudget")).toEqual([]);
    expect(chart.manifests.every((m) => m.metadata.namespace === NAMESPACE)).toBe(true);
  });
});
