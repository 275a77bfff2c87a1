package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// migrations are forward-only: migrations[i] takes a project from schema
// version i to i+1. Each runs inside one transaction with the user_version
// bump, so a project is never left half-migrated. Never edit a released step;
// append a new one.
var migrations = []string{
	// 1: the first schema.
	`
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE batches (
	id          INTEGER PRIMARY KEY,
	kind        TEXT NOT NULL DEFAULT 'annotations', -- annotations | gold | audit
	file_name   TEXT NOT NULL,
	size        INTEGER NOT NULL,
	sha256      TEXT NOT NULL UNIQUE,
	format      TEXT NOT NULL,
	imported_at TEXT NOT NULL,      -- RFC 3339, UTC
	rows        INTEGER NOT NULL,   -- records read
	stored      INTEGER NOT NULL,   -- annotations kept after duplicate handling
	duplicates  INTEGER NOT NULL,
	dup_policy  TEXT NOT NULL,
	mapping     TEXT NOT NULL       -- JSON: canonical field -> column header used
);

CREATE TABLE annotators (
	id     INTEGER PRIMARY KEY,
	ext_id TEXT NOT NULL UNIQUE,
	vendor TEXT NOT NULL DEFAULT '',
	team   TEXT NOT NULL DEFAULT '',
	market TEXT NOT NULL DEFAULT ''
);

CREATE TABLE items (
	id      INTEGER PRIMARY KEY,
	-- ext_id is unique; the store is its only writer and codes ids through an
	-- in-memory map, so no unique index is kept up (it cost a fifth of a large import).
	ext_id  TEXT NOT NULL,
	content TEXT NOT NULL DEFAULT ''
);

-- Small dictionaries: a million judgments name a handful of queues, SOP
-- versions and templates, so annotations store their integer ids.
CREATE TABLE queues (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE       -- live, practice, test, 2rqa, ... ('' when the file says nothing)
);
CREATE TABLE sop_versions (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
CREATE TABLE templates (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

-- The project's label set. ord is the declared order (ordinal and weighted
-- measures use it); allow marks the allow/approve decision(s), every other
-- label is a violation class.
CREATE TABLE labels (
	id    INTEGER PRIMARY KEY,
	name  TEXT NOT NULL UNIQUE,
	ord   INTEGER NOT NULL,
	allow INTEGER NOT NULL DEFAULT 0
);

-- One row per judgment. label_id is the (first) label; extra_labels holds the
-- other label ids of a multi-label judgment, comma-separated, else NULL.
CREATE TABLE annotations (
	id           INTEGER PRIMARY KEY,
	item_id      INTEGER NOT NULL REFERENCES items(id),
	annotator_id INTEGER NOT NULL REFERENCES annotators(id),
	label_id     INTEGER NOT NULL REFERENCES labels(id),
	extra_labels TEXT,
	queue_id     INTEGER NOT NULL REFERENCES queues(id),
	round        INTEGER NOT NULL DEFAULT 0,
	submitted_at INTEGER,           -- Unix milliseconds, UTC; NULL when unknown
	duration_s   REAL,              -- NULL when unknown
	sop_id       INTEGER NOT NULL REFERENCES sop_versions(id),
	template_id  INTEGER NOT NULL REFERENCES templates(id),
	comment      TEXT,              -- NULL when none
	batch_id     INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
	src_row      INTEGER NOT NULL   -- line or sheet row in the batch file
);

CREATE TABLE gold_versions (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	batch_id   INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
	created_at TEXT NOT NULL
);

CREATE TABLE gold_labels (
	version_id   INTEGER NOT NULL REFERENCES gold_versions(id) ON DELETE CASCADE,
	item_id      INTEGER NOT NULL REFERENCES items(id),
	label_id     INTEGER NOT NULL REFERENCES labels(id),
	extra_labels TEXT NOT NULL DEFAULT '',
	rationale    TEXT NOT NULL DEFAULT '',
	sop_section  TEXT NOT NULL DEFAULT '',
	src_row      INTEGER NOT NULL,
	PRIMARY KEY (version_id, item_id)
) WITHOUT ROWID;

-- Second-line audits: an auditor's verdict on one annotation.
CREATE TABLE audits (
	id             INTEGER PRIMARY KEY,
	annotation_id  INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
	auditor        TEXT NOT NULL,
	correct_label  INTEGER REFERENCES labels(id),
	verdict        TEXT NOT NULL,   -- correct | incorrect | unclear
	error_category TEXT NOT NULL DEFAULT '',
	comment        TEXT NOT NULL DEFAULT '',
	audited_at     INTEGER
);

-- Root-cause tags of RCA: why an error was made.
CREATE TABLE root_cause_tags (
	id            INTEGER PRIMARY KEY,
	annotation_id INTEGER REFERENCES annotations(id) ON DELETE CASCADE,
	item_id       INTEGER REFERENCES items(id),
	root_cause    TEXT NOT NULL,   -- sop_ambiguity, training_gap, tool_issue, wrong_gold, guideline_change, carelessness, ...
	note          TEXT NOT NULL DEFAULT '',
	tagged_by     TEXT NOT NULL DEFAULT '',
	tagged_at     INTEGER
);

-- KPI targets a vendor is held to, with amber/red thresholds.
CREATE TABLE kpi_targets (
	id         INTEGER PRIMARY KEY,
	metric     TEXT NOT NULL,           -- gold_accuracy, audit_accuracy, overturn_rate, items_per_hour, aht_s, ...
	vendor     TEXT NOT NULL DEFAULT '', -- '' = every vendor
	queue      TEXT NOT NULL DEFAULT '',
	target     REAL NOT NULL,
	amber      REAL,
	higher_is_better INTEGER NOT NULL DEFAULT 1,
	valid_from TEXT NOT NULL DEFAULT '',
	UNIQUE (metric, vendor, queue, valid_from)
);

CREATE INDEX gold_labels_item ON gold_labels(item_id);
CREATE INDEX audits_annotation ON audits(annotation_id);
`,
	// 2: each judgment's error_category and root_cause from its batch file,
	// coded through two small dictionaries like queues (a million judgments
	// name a handful of each); NULL when the file says nothing, which is what
	// the annotations of older projects read as.
	`
CREATE TABLE error_categories (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
CREATE TABLE root_causes (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
ALTER TABLE annotations ADD COLUMN error_category_id INTEGER REFERENCES error_categories(id);
ALTER TABLE annotations ADD COLUMN root_cause_id INTEGER REFERENCES root_causes(id);
`,
	// 3: item_summary (core): one row per labeled item with the figures the
	// item list sorts by, rebuilt from the annotations when it is read
	// after an import (app/store/items.go). Its indexes on (column,
	// item_id) are made when it is filled.
	`
CREATE TABLE item_summary (
	item_id    INTEGER PRIMARY KEY,
	ext_id     TEXT NOT NULL,
	judgments  INTEGER NOT NULL,
	labels     INTEGER NOT NULL,    -- distinct labels given
	disagree   INTEGER NOT NULL,    -- judgments minus those of the most given label
	gold_label INTEGER,             -- the current gold label's id, NULL when none
	gold_ord   INTEGER NOT NULL,    -- its place in the label set; 2^62 when none
	first_at   INTEGER NOT NULL,    -- Unix ms; -2^62 when no judgment has a time
	last_at    INTEGER NOT NULL
);
`,
	// 4 (workbooks, issue 11): KPI targets scoped by vendor, queue and
	// market. Step 1's kpi_targets had no market and a direction column
	// (each metric's direction is known, app/targets); no release wrote it,
	// so it is dropped for targets. Audits learn which audit file they came
	// from, the auditor's root cause and the judgment's inclusion
	// probability (sampling designs weight by it); root-cause tags are
	// looked up by item.
	`
DROP TABLE kpi_targets;
CREATE TABLE targets (
	id     INTEGER PRIMARY KEY,
	metric TEXT NOT NULL,            -- gold_accuracy, audit_accuracy, overturn_rate, ... (app/targets)
	vendor TEXT NOT NULL DEFAULT '', -- '' = every vendor
	queue  TEXT NOT NULL DEFAULT '', -- '' = every queue
	market TEXT NOT NULL DEFAULT '', -- '' = every market
	target REAL NOT NULL,            -- green at or beyond it
	amber  REAL,                     -- amber between it and target; NULL: no amber band
	set_at INTEGER NOT NULL,         -- Unix ms
	UNIQUE (metric, vendor, queue, market)
);
ALTER TABLE audits ADD COLUMN batch_id INTEGER REFERENCES batches(id) ON DELETE CASCADE;
ALTER TABLE audits ADD COLUMN root_cause TEXT NOT NULL DEFAULT '';
ALTER TABLE audits ADD COLUMN inclusion_probability REAL;
CREATE INDEX root_cause_tags_item ON root_cause_tags(item_id);
`,
}

// annotationIndexes are dropped before a large import and rebuilt after it:
// building an index once over sorted data is far faster than keeping it up
// to date row by row.
var annotationIndexes = []string{
	"CREATE INDEX IF NOT EXISTS annotations_item ON annotations(item_id)",
}

var dropAnnotationIndexes = []string{
	"DROP INDEX IF EXISTS annotations_item",
}

// SchemaVersion is the schema this build writes.
func SchemaVersion() int { return len(migrations) }

// migrate brings the file from schema version v to the current one, one
// transaction per step; mark also sets the file's application_id, in the
// first step's transaction. A failed step leaves the file at the version
// before it.
func (s *Store) migrate(ctx context.Context, v int64, mark bool) error {
	for i := int(v); i < len(migrations); i++ {
		if err := s.migrateStep(ctx, i, mark && i == int(v)); err != nil {
			var fe *FileError
			if errors.As(explain(ctx, s.path, err), &fe) && len(fe.Kinds) > 0 {
				return fe // the disk is full, the file is locked, ...
			}
			return fileErr(s.path, err, fmt.Sprintf("upgrading the project from schema %d to %d failed (%s)%s (still schema %d); this is a fault in LabelQA: please report it with this message",
				i, i+1, sqliteText(err), unchanged, i))
		}
	}
	return nil
}

func (s *Store) migrateStep(ctx context.Context, i int, mark bool) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if mark {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", appID)); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
		return err
	}
	if i == 0 {
		for _, q := range annotationIndexes {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
		return err
	}
	return tx.Commit()
}

var createOrDropTable = regexp.MustCompile(`(?m)^(CREATE|DROP) TABLE (\w+)`)

// schemaTables are the tables that migration steps from..to-1 create and
// that are still there after step to-1 (a step that drops a table removes
// it), in order. A dropped table's name is never created again, so a file's
// tables tell its version.
func schemaTables(from, to int) []string {
	var names []string
	for i, m := range migrations[:to] {
		for _, g := range createOrDropTable.FindAllStringSubmatch(m, -1) {
			switch {
			case g[1] == "DROP":
				names = slices.DeleteFunc(names, func(n string) bool { return n == g[2] })
			case i >= from:
				names = append(names, g[2])
			}
		}
	}
	return names
}

// checkTables compares the tables a project holds with those of the schema
// version v its header claims. A file whose version mark says less than its
// tables show (PRAGMA user_version reset to 0 by a tool or a damaged header)
// must not be migrated (the step would fail on the tables already there) nor
// re-created (the data is there); a file that lacks tables of its version is
// damaged. Both are refused, writing nothing.
func (s *Store) checkTables(ctx context.Context, v int64) error {
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
	if err != nil {
		return err
	}
	var have []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		have = append(have, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var ahead []string
	for _, t := range schemaTables(int(v), SchemaVersion()) {
		if slices.Contains(have, t) {
			ahead = append(ahead, t)
		}
	}
	if len(ahead) > 0 || (v == 0 && len(have) > 0) {
		return fileErr(s.path, nil, fmt.Sprintf("the project's version mark is damaged: it says schema %d, but the file holds %d tables of LabelQA's data (%s), so LabelQA cannot tell which version wrote it; the data is still in the file and nothing was changed: restore the project from a backup, or ask for help to repair its version mark (do not create it again, which would lose the data)",
			v, len(have), clipList(have)), ErrCorrupt)
	}
	var missing []string
	for _, t := range schemaTables(0, int(v)) {
		if !slices.Contains(have, t) {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return fileErr(s.path, nil, fmt.Sprintf("the project file is damaged: it says schema %d, but the table(s) %s of that schema are missing; nothing was changed: restore the project from a backup, or create a new project and import the batch files again",
			v, clipList(missing)), ErrCorrupt)
	}
	return nil
}

// clipList joins names, at most five of them.
func clipList(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}
