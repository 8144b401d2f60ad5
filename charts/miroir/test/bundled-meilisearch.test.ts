import { beforeAll, describe, expect, it } from "vitest";
import { NAMESPACE, RELEASE, type RenderedChart, renderChart } from "./render-chart.js";

interface ConfigNode {
  id: string;
  address: string;
  replica_group: number;
}

let chart: RenderedChart;

beforeAll(async () => {
  chart = await renderChart({ valuesFiles: ["ci/bundled-meilisearch-rg2-values.yaml"] });
});

describe("the bundled Meilisearch StatefulSet with two replica groups", () => {
  it("runs replicaGroups × nodesPerGroup nodes behind a headless Service", () => {
    const sts = chart.one("StatefulSet");
    expect(sts.metadata.name).toBe(`${RELEASE}-meilisearch`);
    expect(sts.spec.replicas).toBe(6);
    const headless = chart.one("Service", sts.spec.serviceName);
    expect(headless.metadata.name).toBe(`${RELEASE}-meilisearch-headless`);
    expect(headless.spec.clusterIP).toBe("None");
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(sts.spec.template.metadata.labels).toMatchObject(headless.spec.selector);
  });

  it("gives every node its own persistent volume", () => {
    const sts = chart.one("StatefulSet");
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: expect.objectContaining({ name: "data" }),
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: "fast-ssd",
          resources: { requests: { storage: "20Gi" } },
        },
      },
    ]);
    const container = sts.spec.template.spec.containers[0];
    expect(container?.volumeMounts).toContainEqual({ name: "data", mountPath: "/meili_data" });
  });

  it("lists the nodes by their stable StatefulSet DNS names, node i in group i / nodesPerGroup", () => {
    const sts = chart.one("StatefulSet");
    const nodes = chart.miroirConfig().nodes as ConfigNode[];
    expect(nodes).toEqual(
      Array.from({ length: sts.spec.replicas }, (_, i) => ({
        id: `meilisearch-${i}`,
        address: `http://${sts.metadata.name}-${i}.${sts.spec.serviceName}.${NAMESPACE}.svc.cluster.local:7700`,
        replica_group: Math.floor(i / 3),
      })),
    );
    expect(nodes[4]?.address).toBe(
      "http://search-meilisearch-4.search-meilisearch-headless.prod.svc.cluster.local:7700",
    );
    expect(chart.miroirConfig()).toMatchObject({
      shards: 48,
      replica_groups: 2,
      replication_factor: 1,
    });
  });

  it.each([
    [1, 1],
    [1, 4],
    [3, 2],
    [4, 3],
  ])("partitions %i group(s) of %i node(s) into full, equal groups", async (groups, perGroup) => {
    const rendered = await renderChart({
      set: { replicaGroups: groups, "meilisearch.nodesPerGroup": perGroup },
    });
    const nodes = rendered.miroirConfig().nodes as ConfigNode[];
    expect(rendered.one("StatefulSet").spec.replicas).toBe(groups * perGroup);
    expect(nodes.map((n) => n.id)).toEqual(nodes.map((_, i) => `meilisearch-${i}`));
    for (let g = 0; g < groups; g++) {
      expect(nodes.filter((n) => n.replica_group === g)).toHaveLength(perGroup);
    }
  });

  it("interleaves the groups on request, so growing a group never moves an existing node", async () => {
    const groupsOf = async (perGroup: number) => {
      const rendered = await renderChart({
        set: {
          replicaGroups: 2,
          "meilisearch.nodesPerGroup": perGroup,
          "meilisearch.groupLayout": "interleaved",
        },
      });
      return (rendered.miroirConfig().nodes as ConfigNode[]).map((n) => [n.id, n.replica_group]);
    };
    const before = await groupsOf(2);
    const after = await groupsOf(3);
    expect(before).toEqual([
      ["meilisearch-0", 0],
      ["meilisearch-1", 1],
      ["meilisearch-2", 0],
      ["meilisearch-3", 1],
    ]);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length)).toEqual([
      ["meilisearch-4", 0],
      ["meilisearch-5", 1],
    ]);
  });

  it("starts every node with the key the proxy uses on the nodes", () => {
    const sts = chart.one("StatefulSet");
    const meili = sts.spec.template.spec.containers[0];
    const proxy = chart.one("Deployment").spec.template.spec.containers[0];
    const nodeKey = proxy?.env?.find((e) => e.name === "MIROIR_NODE_MASTER_KEY");
    const masterKey = meili?.env?.find((e) => e.name === "MEILI_MASTER_KEY");
    expect(masterKey?.valueFrom).toEqual(nodeKey?.valueFrom);
    expect(meili?.env).toContainEqual({ name: "MEILI_ENV", value: "production" });
    expect(meili?.image).toBe("getmeili/meilisearch:v1.50.0");
  });

  it("probes the nodes on /health and runs them non-root with a read-only root filesystem", () => {
    const pod = chart.one("StatefulSet").spec.template.spec;
    const meili = pod.containers[0];
    expect(meili?.livenessProbe?.httpGet).toEqual({ path: "/health", port: "http" });
    expect(meili?.readinessProbe?.httpGet).toEqual({ path: "/health", port: "http" });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(meili?.securityContext).toMatchObject({ readOnlyRootFilesystem: true });
  });

  it("spreads the nodes over hosts when podAntiAffinity is hard", () => {
    const affinity = chart.one("StatefulSet").spec.template.spec.affinity?.podAntiAffinity;
    expect(affinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          topologyKey: "kubernetes.io/hostname",
          labelSelector: { matchLabels: chart.one("StatefulSet").spec.selector.matchLabels },
        },
      ],
    });
  });

  it("keeps at most one node down during voluntary disruptions", () => {
    const pdb = chart.one("PodDisruptionBudget", `${RELEASE}-meilisearch`);
    expect(pdb.spec.maxUnavailable).toBe(1);
  });
});
