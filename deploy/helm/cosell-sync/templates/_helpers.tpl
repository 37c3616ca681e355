{{/* The release's base name: every object is "<fullname>-<what>". */}}
{{- define "cosell.fullname" -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* What two releases on one Kafka cluster and one PostgreSQL must not share: the instance name. */}}
{{- define "cosell.instance" -}}
{{- .Values.instance | default .Release.Name -}}
{{- end -}}

{{/* A database schema of this instance: <instance>_<service>, in PostgreSQL's identifier alphabet. */}}
{{- define "cosell.schema" -}}
{{- printf "%s_%s" (include "cosell.instance" .root | replace "-" "_") .service -}}
{{- end -}}

{{- define "cosell.topicPrefix" -}}
{{- .Values.kafka.topicPrefix | default (printf "%s." (include "cosell.instance" .)) -}}
{{- end -}}

{{/* The environment variable a tenant's secret reaches a service by (tenant ids may hold dashes). */}}
{{- define "cosell.tenantVar" -}}
{{- .tenant | upper | replace "-" "_" -}}
{{- end -}}

{{/* The four services: key (in values.services), name (module, image, object suffix), its schema if stateful,
       and the consumer groups (without the instance's prefix) and topics whose lag says how busy it is. */}}
{{- define "cosell.services" -}}
ingress:
  name: ingress-service
  schema: ingress
  admin: true
  lag:
    - {group: ingress-service-hydrator, topic: partnercenter.referral.notifications}
    - {group: ingress-service-salesforce-hydrator, topic: salesforce.change.notifications}
mapper:
  name: mapper-service
  schema: ""
  admin: false
  lag:
    - {group: mapper-service, topic: partnercenter.referral.snapshots}
    - {group: mapper-service, topic: salesforce.opportunity.snapshots}
salesforceWriter:
  name: salesforce-writer
  schema: salesforce_writer
  admin: true
  lag:
    - {group: salesforce-writer, topic: salesforce.opportunity.commands}
partnercenterWriter:
  name: partnercenter-writer
  schema: partnercenter_writer
  admin: false
  lag:
    - {group: partnercenter-writer, topic: partnercenter.referral.commands}
{{- end -}}

{{/* The system's topics (events' Topics.all, which a chart test compares): key, name without the prefix,
       partitions, retention in days. */}}
{{- define "cosell.topics" -}}
- {key: referral-notifications, name: partnercenter.referral.notifications, partitions: 6, days: 7}
- {key: referral-snapshots, name: partnercenter.referral.snapshots, partitions: 6, days: 7}
- {key: change-notifications, name: salesforce.change.notifications, partitions: 6, days: 7}
- {key: opportunity-snapshots, name: salesforce.opportunity.snapshots, partitions: 6, days: 7}
- {key: salesforce-commands, name: salesforce.opportunity.commands, partitions: 6, days: 7}
- {key: partnercenter-commands, name: partnercenter.referral.commands, partitions: 6, days: 7}
- {key: sync-outcomes, name: sync.outcomes, partitions: 6, days: 7}
- {key: ingress-dlq, name: ingress-service.dlq, partitions: 3, days: 30}
- {key: mapper-dlq, name: mapper-service.dlq, partitions: 3, days: 30}
- {key: salesforce-writer-dlq, name: salesforce-writer.dlq, partitions: 3, days: 30}
- {key: partnercenter-writer-dlq, name: partnercenter-writer.dlq, partitions: 3, days: 30}
{{- end -}}

{{/* The consumer group prefix of this instance (COSELL_CONSUMER_GROUP_PREFIX). */}}
{{- define "cosell.groupPrefix" -}}
{{- printf "%s." (include "cosell.instance" .) -}}
{{- end -}}

{{- define "cosell.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: cosell-sync
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: cosell-sync
{{- end -}}

{{/* The selector of one service's pods. */}}
{{- define "cosell.selector" -}}
app.kubernetes.io/name: cosell-sync
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "cosell.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .name (.root.Values.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{- define "cosell.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "cosell.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* A JDBC-less PostgreSQL URL of the release's database (the reactive client's form). */}}
{{- define "cosell.databaseUrl" -}}
{{- $db := .Values.database -}}
{{- printf "postgresql://%s:%v/%s%s" (required "database.host is required" $db.host) $db.port $db.name (ternary (printf "?%s" $db.parameters) "" (ne $db.parameters "")) -}}
{{- end -}}

{{/* Kafka over TLS with a private CA (kafka.tls.caSecret): the trust store's environment, mount and volume. */}}
{{- define "cosell.kafkaTlsEnv" -}}
{{- if .Values.kafka.tls.caSecret }}
- name: KAFKA_SSL_TRUSTSTORE_TYPE
  value: PEM
- name: KAFKA_SSL_TRUSTSTORE_LOCATION
  value: /etc/cosell/kafka-ca/{{ .Values.kafka.tls.caKey }}
{{- end }}
{{- end -}}

{{- define "cosell.kafkaTlsMount" -}}
{{- if .Values.kafka.tls.caSecret }}
- name: kafka-ca
  mountPath: /etc/cosell/kafka-ca
  readOnly: true
{{- end }}
{{- end -}}

{{- define "cosell.kafkaTlsVolume" -}}
{{- if .Values.kafka.tls.caSecret }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret }}
    items:
      - key: {{ .Values.kafka.tls.caKey }}
        path: {{ .Values.kafka.tls.caKey }}
{{- end }}
{{- end -}}
