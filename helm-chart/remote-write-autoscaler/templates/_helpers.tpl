{{/* Name of the objects: the release name when it already says remote-write-autoscaler. */}}
{{- define "rwa.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "rwa.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "rwa.labels" -}}
{{ include "rwa.selectorLabels" . }}
app.kubernetes.io/part-of: remote-write-autoscaler
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The Secret with tls.crt and tls.key. */}}
{{- define "rwa.tlsSecret" -}}
{{- if .Values.tls.certManager.enabled -}}
{{ include "rwa.fullname" . }}-tls
{{- else -}}
{{ required "tls.existingSecret is required when tls.certManager.enabled is false" .Values.tls.existingSecret }}
{{- end -}}
{{- end -}}

{{/* Each loop's mode: its own value, or `mode` when that is empty. */}}
{{- define "rwa.shardsMode" -}}
{{- .Values.shards.mode | default .Values.mode -}}
{{- end -}}

{{- define "rwa.policyMode" -}}
{{- .Values.policy.mode | default .Values.mode -}}
{{- end -}}

{{/* "true" or "false". */}}
{{- define "rwa.hashringSync" -}}
{{- if kindIs "bool" .Values.hashring.sync -}}
{{- .Values.hashring.sync -}}
{{- else -}}
{{- eq .Values.mode "apply" -}}
{{- end -}}
{{- end -}}
