-- Documents and photos sent with a task's progress report. Stored in the database like the directive's
-- own attachments: type sniffed from the bytes, SHA-256 of the content. Written in the same transaction
-- as the report, so a report has all its files or none.
CREATE TABLE directive_task_report_attachments (
  id              uuid PRIMARY KEY,
  report_id       uuid NOT NULL REFERENCES directive_task_reports (id),
  task_id         uuid NOT NULL REFERENCES directive_tasks (id),
  file_name       text NOT NULL,
  mime_type       text NOT NULL,                  -- sniffed from the bytes
  size_bytes      integer NOT NULL,
  sha256          text NOT NULL,
  content         bytea NOT NULL,
  uploaded_by     uuid REFERENCES users (id),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX directive_task_report_attachments_report_idx ON directive_task_report_attachments (report_id);
CREATE INDEX directive_task_report_attachments_task_idx ON directive_task_report_attachments (task_id);
