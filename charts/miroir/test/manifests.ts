/** The parts of the Kubernetes objects the chart tests look at. */

export interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: EnvVar[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: Container[];
    securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; fsGroup?: number };
    volumes?: { name: string; emptyDir?: object; configMap?: { name: string } }[];
    affinity?: { podAntiAffinity?: Record<string, unknown> };
  };
}

export interface LabelSelector {
  matchLabels: Record<string, string>;
}

export interface Deployment {
  kind: "Deployment";
  metadata: Metadata;
  spec: { replicas?: number; selector: LabelSelector; template: PodTemplate };
}

export interface StatefulSet {
  kind: "StatefulSet";
  metadata: Metadata;
  spec: {
    replicas: number;
    serviceName: string;
    selector: LabelSelector;
    template: PodTemplate;
    volumeClaimTemplates?: {
      metadata: { name: string };
      spec: {
        accessModes: string[];
        storageClassName?: string;
        resources: { requests: { storage: string } };
      };
    }[];
  };
}

export interface Service {
  kind: "Service";
  metadata: Metadata;
  spec: {
    clusterIP?: string;
    publishNotReadyAddresses?: boolean;
    selector: Record<string, string>;
    ports: { name: string; port: number; targetPort: string | number }[];
  };
}

export interface ConfigMap {
  kind: "ConfigMap";
  metadata: Metadata;
  data: Record<string, string>;
}

export interface Secret {
  kind: "Secret";
  metadata: Metadata;
  data: Record<string, string>;
}

export interface HorizontalPodAutoscaler {
  kind: "HorizontalPodAutoscaler";
  metadata: Metadata;
  spec: {
    scaleTargetRef: { kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: { resource: { name: string; target: { averageUtilization: number } } }[];
  };
}

export interface PodDisruptionBudget {
  kind: "PodDisruptionBudget";
  metadata: Metadata;
  spec: { maxUnavailable: number | string; selector: LabelSelector };
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
}

export interface NetworkPolicy {
  kind: "NetworkPolicy";
  metadata: Metadata;
  spec: {
    podSelector: LabelSelector;
    ingress: { from?: NetworkPolicyPeer[]; ports: { port: string | number }[] }[];
  };
}

export interface ServiceMonitor {
  kind: "ServiceMonitor";
  metadata: Metadata;
  spec: { selector: LabelSelector; endpoints: { port: string; path: string }[] };
}

export interface OtherManifest {
  kind: string;
  metadata: Metadata;
}

export type Manifest =
  | Deployment
  | StatefulSet
  | Service
  | ConfigMap
  | Secret
  | HorizontalPodAutoscaler
  | PodDisruptionBudget
  | NetworkPolicy
  | ServiceMonitor
  | OtherManifest;

/** The manifest type of a kind, so `chart.one("Deployment")` is typed as a Deployment. */
export type ManifestOf<K extends string> =
  Extract<Manifest, { kind: K }> extends never ? OtherManifest : Extract<Manifest, { kind: K }>;
