package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"labelqa/app/inputerr"
	"labelqa/app/remedy"
	"labelqa/app/rules"
)

// GoldRow is one answer of a golden-set file as the store keeps it. The
// store copies what it keeps, so a caller may reuse one GoldRow.
type GoldRow struct {
	Row        int // 1-based line or sheet row in the file
	ItemID     string
	Labels     []string // usually one; multi-label gold allowed
	Rationale  string
	SOPSection string
	GDSVersion string // the file's gds_version column, "" when absent
}

// GoldFunc receives each golden-set answer.
type GoldFunc func(*GoldRow) error

// GoldInfo describes a golden-set file being imported.
type GoldInfo struct {
	FileName  string
	Size      int64
	SHA256    string
	Format    string
	Version   string // --version; empty: the file's gds_version, else the file name
	AddLabels bool
}

// GoldResult is what a golden-set import stored.
type GoldResult struct {
	Version  string
	Items    int
	NewItems int
}

// ErrGoldVersionExists is returned when a golden-set version name is taken.
var ErrGoldVersionExists = fmt.Errorf("a golden-set version with that name already exists")

// ImportGold stores one golden-set version in a single transaction. scan
// must call add once per record; record problems are gathered and nothing
// is written while any remain. scan returns the batch key when the file's
// content alone is not it (a workbook's sheet: "SHA:sheet:NAME"), or "" to
// keep info.SHA256; a key imported before is refused with ErrBatchExists.
func (s *Store) ImportGold(ctx context.Context, info GoldInfo, scan func(add GoldFunc) (key string, err error)) (_ GoldResult, err error) {
	defer s.explain(ctx, &err)
	if err := CheckName("golden-set version name", info.Version); err != nil {
		return GoldResult{}, fmt.Errorf("%s: %w", info.FileName, err)
	}
	if err := s.checkBeforeWrite(ctx); err != nil {
		return GoldResult{}, err
	}
	if exists, err := s.BatchExists(ctx, info.SHA256); err != nil {
		return GoldResult{}, err
	} else if exists {
		return GoldResult{}, remedy.With(fmt.Errorf("%s: %w; to pass over it, skip files imported before", info.FileName, ErrBatchExists), remedy.Do(remedy.SkipImported))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return GoldResult{}, err
	}
	defer tx.Rollback()

	items := map[string]int64{}
	if err := loadItemIDs(ctx, tx, items); err != nil {
		return GoldResult{}, err
	}
	labels, err := loadLabelCoder(ctx, tx)
	if err != nil {
		return GoldResult{}, err
	}
	closed := len(labels.names) > 0

	var nextItem, nextLabel, maxOrd int64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id),0)+1 FROM items),
		(SELECT coalesce(max(id),0)+1 FROM labels), (SELECT coalesce(max(ord),-1) FROM labels)`).Scan(&nextItem, &nextLabel, &maxOrd); err != nil {
		return GoldResult{}, err
	}

	res, err := tx.ExecContext(ctx, `INSERT INTO batches(kind, file_name, size, sha256, format, imported_at, rows, stored, duplicates, dup_policy, mapping)
		VALUES ('gold', ?, ?, ?, ?, ?, 0, 0, 0, 'error', '{}')`,
		info.FileName, info.Size, info.SHA256, info.Format, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return GoldResult{}, err
	}
	batchID, _ := res.LastInsertId()

	var errs inputerr.ErrorList
	var out GoldResult
	var versionID int64
	seen := map[int64]int{}
	insItem, err := tx.PrepareContext(ctx, "INSERT INTO items(id, ext_id, content) VALUES (?, ?, '')")
	if err != nil {
		return GoldResult{}, err
	}
	insGold, err := tx.PrepareContext(ctx, "INSERT INTO gold_labels(version_id, item_id, label_id, extra_labels, rationale, sop_section, src_row) VALUES (?, ?, ?, ?, ?, ?, ?)")
	if err != nil {
		return GoldResult{}, err
	}
	insLabel, err := tx.PrepareContext(ctx, "INSERT INTO labels(id, name, ord, allow) VALUES (?, ?, ?, ?)")
	if err != nil {
		return GoldResult{}, err
	}

	// One file is one golden-set version: without a version name given, every
	// row's gds_version must be the first row's (an empty cell included).
	var gds string
	var gdsRow int
	add := func(r *GoldRow) error {
		if info.Version == "" && versionID != 0 && r.GDSVersion != gds {
			e := &inputerr.Error{File: info.FileName, Row: r.Row, Field: "gds_version", Err: mixedVersions(r.GDSVersion, gds, gdsRow)}
			errs.Add(e)
			return e
		}
		if versionID == 0 {
			gds, gdsRow = strings.Clone(r.GDSVersion), r.Row
			out.Version = info.Version
			if out.Version == "" {
				out.Version = r.GDSVersion
			}
			if out.Version == "" {
				base := filepath.Base(info.FileName)
				out.Version = strings.TrimSuffix(base, filepath.Ext(base))
				if err := rules.CheckName("golden-set version name (taken from the file name)", out.Version); err != nil {
					return remedy.With(fmt.Errorf("%s: %w, or give the version a name", info.FileName, err), remedy.Do(remedy.NameGoldVersion))
				}
			}
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM gold_versions WHERE name=?", out.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return remedy.With(fmt.Errorf("%s: %w: %q; give this one another name", info.FileName, ErrGoldVersionExists, out.Version), remedy.Do(remedy.NameGoldVersion))
			}
			res, err := tx.ExecContext(ctx, "INSERT INTO gold_versions(name, batch_id, created_at) VALUES (?, ?, ?)", out.Version, batchID, time.Now().UTC().Format(time.RFC3339))
			if err != nil {
				return err
			}
			versionID, _ = res.LastInsertId()
		}
		var first int64
		var extra []string
		var ids []int64
		for _, name := range r.Labels {
			id, ok := labels.lookup(name)
			if !ok {
				if closed && !info.AddLabels {
					e := &inputerr.Error{File: info.FileName, Row: r.Row, Field: "label", Err: unknownLabel(name, labels.names)}
					errs.Add(e)
					return e
				}
				id = nextLabel
				nextLabel++
				maxOrd++
				if _, err := insLabel.ExecContext(ctx, id, name, maxOrd, boolInt(rules.IsApproveName(name))); err != nil {
					return err
				}
				labels.add(strings.Clone(name), id)
			}
			if slices.Contains(ids, id) {
				continue // another spelling of a label this answer already has
			}
			ids = append(ids, id)
			if len(ids) == 1 {
				first = id
			} else {
				extra = append(extra, strconv.FormatInt(id, 10))
			}
		}
		itemID, ok := items[r.ItemID]
		if !ok {
			itemID = nextItem
			nextItem++
			if _, err := insItem.ExecContext(ctx, itemID, r.ItemID); err != nil {
				return err
			}
			items[strings.Clone(r.ItemID)] = itemID
			out.NewItems++
		}
		if prev, dup := seen[itemID]; dup {
			e := &inputerr.Error{File: info.FileName, Row: r.Row, Field: "item_id",
				Err: GoldAnswerTwice(r.ItemID, prev)}
			errs.Add(e)
			return e
		}
		seen[itemID] = r.Row
		if _, err := insGold.ExecContext(ctx, versionID, itemID, first, strings.Join(extra, ","), r.Rationale, r.SOPSection, r.Row); err != nil {
			return err
		}
		out.Items++
		return nil
	}
	key, err := scan(add)
	if err != nil {
		return GoldResult{}, err
	}
	if err := errs.Err(); err != nil {
		return GoldResult{}, err
	}
	if key != "" && key != info.SHA256 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM batches WHERE sha256 = ? AND id != ?", key, batchID).Scan(&n); err != nil {
			return GoldResult{}, err
		}
		if n > 0 {
			return GoldResult{}, remedy.With(fmt.Errorf("%s: %w; to pass over it, skip files imported before", info.FileName, ErrBatchExists), remedy.Do(remedy.SkipImported))
		}
		if _, err := tx.ExecContext(ctx, "UPDATE batches SET sha256 = ? WHERE id = ?", key, batchID); err != nil {
			return GoldResult{}, err
		}
	}
	if out.Items == 0 {
		return GoldResult{}, fmt.Errorf("%s: the file has no gold answers to import", info.FileName)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE batches SET rows=?, stored=? WHERE id=?", out.Items, out.Items, batchID); err != nil {
		return GoldResult{}, err
	}
	return out, tx.Commit()
}

// mixedVersions refuses a golden-set file whose gds_version column names
// another version (v) than the first row's (first, on row).
func mixedVersions(v, first string, row int) error {
	const what = "one golden-set file is one version: split the file into one file per version, or give one version name for the whole file, in place of its gds_version column"
	name := remedy.Do(remedy.NameGoldVersion)
	switch {
	case first == "":
		return remedy.With(fmt.Errorf("gds_version %q, but row %d leaves it empty; %s", v, row, what), name)
	case v == "":
		return remedy.With(fmt.Errorf("gds_version is empty, but row %d says %q; %s", row, first, what), name)
	}
	return remedy.With(fmt.Errorf("gds_version %q differs from %q on row %d; %s", v, first, row, what), name)
}
