{{/* Names and labels shared by every manifest of the chart. */}}

{{- define "miroir.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Resource name prefix: "<release>-<chart>", or "<release>" when the release name already
contains the chart name. Kept to 63 characters, the DNS label limit.
*/}}
{{- define "miroir.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "miroir.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource of one component; call with (list $ "proxy"). */}}
{{- define "miroir.labels" -}}
{{- $root := index . 0 -}}
helm.sh/chart: {{ include "miroir.chart" $root }}
{{ include "miroir.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
app.kubernetes.io/part-of: miroir
{{- end }}

{{/* Labels that select the pods of one component; call with (list $ "proxy"). */}}
{{- define "miroir.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "miroir.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "miroir.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "miroir.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "miroir.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The Secret holding the three keys: the user's existing one or the chart's own. */}}
{{- define "miroir.secretName" -}}
{{- default (include "miroir.fullname" .) .Values.auth.existingSecret }}
{{- end }}

{{/*
Proxy processes that may run at once: the HPA's ceiling when it is on. Miroir uses it to
decide whether leader election is needed.
*/}}
{{- define "miroir.proxyReplicas" -}}
{{- if .Values.autoscaling.enabled }}
{{- int .Values.autoscaling.maxReplicas }}
{{- else }}
{{- int .Values.replicaCount }}
{{- end }}
{{- end }}

{{/*
The bundled Meilisearch names follow the release name, so the nodes' stable DNS names are
<release>-meilisearch-<i>.<release>-meilisearch-headless. The StatefulSet name stays within
52 characters: Kubernetes appends a revision hash to it in a 63-character label.
*/}}
{{- define "miroir.meilisearch.fullname" -}}
{{- printf "%s-meilisearch" .Release.Name | trunc 52 | trimSuffix "-" }}
{{- end }}

{{- define "miroir.meilisearch.headlessName" -}}
{{- printf "%s-headless" (include "miroir.meilisearch.fullname" .) }}
{{- end }}

{{- define "miroir.meilisearch.replicas" -}}
{{- mul (int .Values.replicaGroups) (int .Values.meilisearch.nodesPerGroup) }}
{{- end }}

{{- define "miroir.redis.fullname" -}}
{{- printf "%s-redis" (include "miroir.fullname" .) | trunc 52 | trimSuffix "-" }}
{{- end }}

{{/*
The Redis URL written into the config file: the explicit one, else the bundled Redis'
Service. Empty when it comes from a Secret (MIROIR_TASK_STORE__URL overrides the file).
*/}}
{{- define "miroir.taskStoreUrl" -}}
{{- if .Values.taskStore.urlSecret.name }}
{{- else if .Values.taskStore.url }}
{{- .Values.taskStore.url }}
{{- else if .Values.redis.enabled }}
{{- printf "redis://%s.%s.svc.%s:6379" (include "miroir.redis.fullname" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}
{{- end }}

{{/*
Miroir's node list as YAML under a `nodes` key: derived from the StatefulSet's stable DNS
names when the chart runs the nodes, else the user's `nodes` with the config file's
snake_case keys. Bundled node i is in replica group i / nodesPerGroup (contiguous layout)
or i mod replicaGroups (interleaved layout, where adding nodes never moves existing ones to
another group).
*/}}
{{- define "miroir.nodes" -}}
{{- $nodes := list }}
{{- if .Values.meilisearch.enabled }}
{{- $name := include "miroir.meilisearch.fullname" . }}
{{- $headless := include "miroir.meilisearch.headlessName" . }}
{{- $perGroup := int .Values.meilisearch.nodesPerGroup }}
{{- range $i := until (int (include "miroir.meilisearch.replicas" .)) }}
{{- $address := printf "http://%s-%d.%s.%s.svc.%s:7700" $name $i $headless $.Release.Namespace $.Values.clusterDomain }}
{{- $group := ternary (mod $i (int $.Values.replicaGroups)) (div $i $perGroup) (eq $.Values.meilisearch.groupLayout "interleaved") }}
{{- $nodes = append $nodes (dict "id" (printf "meilisearch-%d" $i) "address" $address "replica_group" $group) }}
{{- end }}
{{- else }}
{{- range .Values.nodes }}
{{- $nodes = append $nodes (dict "id" .id "address" .address "replica_group" (int .replicaGroup)) }}
{{- end }}
{{- end }}
{{- toYaml (dict "nodes" $nodes) }}
{{- end }}

{{/*
Miroir's configuration file (snake_case keys, as the config package reads them): the part
the chart renders from its values, with the user's `config` map merged over it. Secrets are
absent: they come from the environment.
*/}}
{{- define "miroir.config" -}}
{{- toYaml (mustMergeOverwrite (include "miroir.chartConfig" . | fromYaml) (deepCopy .Values.config)) }}
{{- end }}

{{/* The keys of the config file that the chart renders from its own values. */}}
{{- define "miroir.chartConfig" -}}
{{- $replicas := int (include "miroir.proxyReplicas" .) }}
{{- $url := include "miroir.taskStoreUrl" . }}
{{- $taskStore := dict "backend" .Values.taskStore.backend "path" .Values.taskStore.path "url" (ternary $url nil (ne $url "")) "key_prefix" .Values.taskStore.keyPrefix }}
{{- $health := dict "interval_ms" (int .Values.health.intervalMs) "timeout_ms" (int .Values.health.timeoutMs) "unhealthy_threshold" (int .Values.health.unhealthyThreshold) "recovery_threshold" (int .Values.health.recoveryThreshold) }}
{{- $scatter := dict "node_timeout_ms" (int .Values.scatter.nodeTimeoutMs) "unavailable_shard_policy" .Values.scatter.unavailableShardPolicy }}
{{- $server := dict "host" "0.0.0.0" "port" 7700 "metrics_port" (int .Values.metrics.port) "replicas" $replicas "log_level" .Values.logLevel }}
{{- $config := dict
  "shards" (int .Values.shards)
  "replication_factor" (int .Values.replicationFactor)
  "replica_groups" (int .Values.replicaGroups)
  "nodes" (include "miroir.nodes" . | fromYaml).nodes
  "task_store" $taskStore
  "admin" (dict "enabled" .Values.admin.enabled)
  "health" $health
  "scatter" $scatter
  "server" $server
  "leader_election" (dict "enabled" (gt $replicas 1))
}}
{{- if .Values.autoscaling.enabled }}
{{- $hpa := dict "enabled" true "min_replicas" (int .Values.autoscaling.minReplicas) "max_replicas" (int .Values.autoscaling.maxReplicas) }}
{{- with .Values.autoscaling.targetCPUUtilizationPercentage }}
{{- $_ := set $hpa "target_cpu_utilization" (int .) }}
{{- end }}
{{- with .Values.autoscaling.targetMemoryUtilizationPercentage }}
{{- $_ := set $hpa "target_memory_utilization" (int .) }}
{{- end }}
{{- $_ := set $config "hpa" $hpa }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/*
The Secret holding the bundled Redis' password, and its key.
*/}}
{{- define "miroir.redis.secretName" -}}
{{- default (printf "%s-auth" (include "miroir.redis.fullname" .)) .Values.redis.auth.existingSecret }}
{{- end }}
