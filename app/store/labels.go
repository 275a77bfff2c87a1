package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"labelqa/app/remedy"
	"labelqa/app/rules"
)

// Label is one entry of the project's label set.
type Label struct {
	ID    int64
	Name  string
	Order int
	Allow bool // the allow/approve decision; every other label is a violation class
}

// Labels returns the label set in declared order.
func (s *Store) Labels(ctx context.Context) (_ []Label, err error) {
	defer s.explain(ctx, &err)
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

// LabelKey is rules.LabelKey: the sameness of two spellings of a label.
func LabelKey(name string) string { return rules.LabelKey(name) }

// Sentinels of a declared label set the caller got wrong (the CLI's bad usage).
var (
	// ErrDuplicateLabel: a label is declared twice (maybe in another case).
	ErrDuplicateLabel = errors.New("a label is listed twice")
	// ErrUnknownAllowLabel: an allow label is not among the declared labels.
	ErrUnknownAllowLabel = errors.New("an allow label is not among the declared labels")
	// ErrBadName: a name given to the core (a declared or allow label, a
	// golden-set version name) holds a control character, which an import
	// refuses in an id or label (rules.CheckName).
	ErrBadName = errors.New("a name holds a control character")
)

// CheckName is rules.CheckName (what names the name: "label") matching ErrBadName.
func CheckName(what, v string) error {
	if err := rules.CheckName(what, v); err != nil {
		return labelErr{err.Error(), ErrBadName}
	}
	return nil
}

// labelErr is a refused label declaration: its message, matching kind.
type labelErr struct {
	msg  string
	kind error
}

func (e labelErr) Error() string        { return e.msg }
func (e labelErr) Is(target error) bool { return target == e.kind }

// CheckLabels checks a label set to declare, and its allow labels, without
// touching a project: no label twice (by LabelKey), and every allow label
// one of the labels. Empty names are ignored; allow labels need labels.
func CheckLabels(names, allow []string) error {
	seen := map[string]string{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if err := CheckName("label", n); err != nil {
			return err
		}
		k := LabelKey(n)
		if prev, dup := seen[k]; dup {
			if prev == n {
				return labelErr{fmt.Sprintf("label %q is listed twice; list each label once", n), ErrDuplicateLabel}
			}
			return labelErr{fmt.Sprintf("labels %q and %q are the same label (labels that differ only in upper and lower case, or in spaces around them, are one label); list it once", prev, n), ErrDuplicateLabel}
		}
		seen[k] = n
	}
	for _, a := range allow {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if err := CheckName("allow label", a); err != nil {
			return err
		}
		if _, ok := seen[LabelKey(a)]; !ok {
			if len(seen) == 0 {
				return labelErr{fmt.Sprintf("allow label %q needs a declared label set: declare the labels too, with %q among them", a, a), ErrUnknownAllowLabel}
			}
			return labelErr{fmt.Sprintf("allow label %q is not one of the declared labels; add it to them or correct its spelling", a), ErrUnknownAllowLabel}
		}
	}
	return nil
}

// DeclareLabels sets the label set's order: names already present (by
// LabelKey) move to their given position and keep their spelling, new names
// are added. Labels in allow (or, when allow is nil, those named like
// approve/allow) are the allow decision. Empty names are ignored; no names
// declare nothing, and the first import's labels become the set.
func (s *Store) DeclareLabels(ctx context.Context, names []string, allow []string) (err error) {
	defer s.explain(ctx, &err)
	if err := CheckLabels(names, allow); err != nil {
		return err
	}
	var clean []string
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			clean = append(clean, n)
		}
	}
	if len(clean) == 0 {
		return nil
	}
	if err := s.checkBeforeWrite(ctx); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	existing := map[string]int64{}
	existingName := map[int64]string{}
	var declared []string
	rows, err := tx.QueryContext(ctx, "SELECT id, name FROM labels ORDER BY ord DESC, id DESC")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		existing[LabelKey(name)] = id // the first in order wins
		existingName[id] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Existing labels not named keep their relative order after the named ones.
	if _, err := tx.ExecContext(ctx, "UPDATE labels SET ord = ord + ?", len(clean)); err != nil {
		return err
	}
	for i, n := range clean {
		isAllow := rules.Approves(n, allow)
		if id, ok := existing[LabelKey(n)]; ok {
			if _, err := tx.ExecContext(ctx, "UPDATE labels SET ord = ?, allow = ? WHERE id = ?", i, boolInt(isAllow), id); err != nil {
				return err
			}
			declared = append(declared, existingName[id])
			continue
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO labels(name, ord, allow) VALUES (?, ?, ?)", n, i, boolInt(isAllow)); err != nil {
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
// given, one a line (as the project spells them): the labels whose place in
// the order was declared.
const declaredLabelsKey = "declared_labels"

// DeclaredLabels returns the labels whose order was declared (the names
// DeclareLabels was last given, in order). known is false when the project
// holds no record of it: never declared, or declared by a LabelQA that did
// not record it.
func (s *Store) DeclaredLabels(ctx context.Context) (names []string, known bool, err error) {
	defer s.explain(ctx, &err)
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

// labelCoder codes label names as the project's label ids, by exact name
// first and then by LabelKey, so another spelling of a known label is that
// label. It is what batch and gold imports share.
type labelCoder struct {
	ids   map[string]int64 // every spelling met -> id
	keys  map[string]int64 // LabelKey -> id
	names []string         // the project's label names, for did-you-mean
}

// loadLabelCoder reads the project's labels; for labels an older build
// stored twice under one key the earliest in order wins the key.
func loadLabelCoder(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (*labelCoder, error) {
	c := &labelCoder{ids: map[string]int64{}, keys: map[string]int64{}}
	rows, err := q.QueryContext(ctx, "SELECT id, name FROM labels ORDER BY ord, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		c.ids[name] = id
		if _, ok := c.keys[LabelKey(name)]; !ok {
			c.keys[LabelKey(name)] = id
		}
		c.names = append(c.names, name)
	}
	sort.Strings(c.names)
	return c, rows.Err()
}

// lookup finds a label by its spelling, then by its key; a new spelling of
// a known label is remembered.
func (c *labelCoder) lookup(name string) (int64, bool) {
	if id, ok := c.ids[name]; ok {
		return id, true
	}
	id, ok := c.keys[LabelKey(name)]
	if ok {
		c.ids[strings.Clone(name)] = id
	}
	return id, ok
}

// add records a new label.
func (c *labelCoder) add(name string, id int64) {
	c.ids[name] = id
	c.keys[LabelKey(name)] = id
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
		return remedy.With(fmt.Errorf("label %q is not in the project's label set (did you mean %q?); fix the file or accept labels outside the label set", name, best), remedy.Do(remedy.AcceptLabels))
	}
	return remedy.With(fmt.Errorf("label %q is not in the project's label set; fix the file, or accept labels outside the label set to add it", name), remedy.Do(remedy.AcceptLabels))
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

// SortLabelNames puts label names in the order a label set takes when
// nobody declared one: by value when every name is a number (1, 2, 10:
// weighted and ordinal measures then use the values), else by name.
func SortLabelNames(names []string) {
	vals, ok := labelValues(names)
	if !ok {
		sort.Strings(names)
		return
	}
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if vals[idx[a]] != vals[idx[b]] {
			return vals[idx[a]] < vals[idx[b]]
		}
		return names[idx[a]] < names[idx[b]]
	})
	sorted := make([]string, len(names))
	for i, j := range idx {
		sorted[i] = names[j]
	}
	copy(names, sorted)
}

// LabelNamesSorted reports whether names are in SortLabelNames's order.
func LabelNamesSorted(names []string) bool {
	s := slices.Clone(names)
	SortLabelNames(s)
	return slices.Equal(s, names)
}

// labelValues parses every name as a finite number.
func labelValues(names []string) ([]float64, bool) {
	if len(names) == 0 {
		return nil, false
	}
	vals := make([]float64, len(names))
	for i, n := range names {
		v, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return nil, false
		}
		vals[i] = v
	}
	return vals, true
}
