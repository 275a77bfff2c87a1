package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Label is one entry of the project's label set.
type Label struct {
	ID    int64
	Name  string
	Order int
	Allow bool // the allow/approve decision; every other label is a violation class
}

// Labels returns the label set in declared order.
func (s *Store) Labels(ctx context.Context) ([]Label, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, ord, allow FROM labels ORDER BY ord, name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Label
	for rows.Next() {
		var l Label
		if err := rows.Scan(&l.ID, &l.Name, &l.Order, &l.Allow); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// DeclareLabels sets the label set's order: names already present move to
// their given position, new names are added. Labels in allow (or, when allow
// is nil, those named like approve/allow) are the allow decision.
func (s *Store) DeclareLabels(ctx context.Context, names []string, allow []string) error {
	if len(names) == 0 {
		return nil
	}
	allowSet := map[string]bool{}
	for _, a := range allow {
		allowSet[a] = true
	}
	seen := map[string]bool{}
	var declared []string
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Existing labels not named keep their relative order after the named ones.
	if _, err := tx.ExecContext(ctx, "UPDATE labels SET ord = ord + ?", len(names)); err != nil {
		return err
	}
	for i, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			return fmt.Errorf("label %d of --labels is empty: list labels separated by commas, without empty entries", i+1)
		}
		if seen[n] {
			return fmt.Errorf("label %q is listed twice in --labels", n)
		}
		seen[n] = true
		isAllow := allowSet[n]
		if allow == nil {
			isAllow = IsAllowName(n)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO labels(name, ord, allow) VALUES (?, ?, ?)
			ON CONFLICT(name) DO UPDATE SET ord = excluded.ord, allow = excluded.allow`, n, i, boolInt(isAllow)); err != nil {
			return err
		}
		declared = append(declared, n)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, declaredLabelsKey, strings.Join(declared, "\n")); err != nil {
		return err
	}
	return tx.Commit()
}

// declaredLabelsKey is the settings key of the names DeclareLabels was last
// given, one a line: the labels whose place in the order was declared.
const declaredLabelsKey = "declared_labels"

// DeclaredLabels returns the labels whose order was declared (the names
// DeclareLabels was last given, in order). known is false when the project
// holds no record of it: never declared, or declared by a LabelQA that did
// not record it.
func (s *Store) DeclaredLabels(ctx context.Context) (names []string, known bool, err error) {
	var v string
	err = s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", declaredLabelsKey).Scan(&v)
	if err == sql.ErrNoRows {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return strings.Split(v, "\n"), true, nil
}

// unknownLabel explains a label outside the declared set, suggesting the
// closest declared name.
func unknownLabel(name string, known []string) error {
	best, bestD := "", 1<<30
	for _, k := range known {
		d := editDistance(strings.ToLower(name), strings.ToLower(k))
		if d < bestD {
			best, bestD = k, d
		}
	}
	limit := len(name)/3 + 1
	if best != "" && bestD <= limit {
		return fmt.Errorf("label %q is not in the project's label set (did you mean %q?); fix the file or import with --add-labels", name, best)
	}
	return fmt.Errorf("label %q is not in the project's label set; fix the file or import with --add-labels to add it", name)
}

// editDistance is the Levenshtein distance between a and b, by runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
