package gold

// Enforcement counts enforcement errors against gold for one set of
// annotations (all, one group, or one gold label).
type Enforcement struct {
	// Over is over-enforcement: annotations giving a violation label on items
	// whose gold is allowed, over all annotations on allowed-gold items.
	Over Proportion
	// Under is under-enforcement: annotations giving an allowed label on items
	// whose gold is a violation, over all annotations on violation-gold items.
	Under Proportion
	// WrongPolicy counts annotations on violation-gold items that gave a
	// different violation label (enforced, but under the wrong policy); it is
	// neither over- nor under-enforcement. Its denominator is Under.N.
	WrongPolicy float64
}

// EnforcementResult is the outcome of EnforcementErrors.
type EnforcementResult struct {
	// Overall pools every annotation on a gold item.
	Overall Enforcement
	// ByGroup holds one Enforcement per group code (per rater when group is
	// the rater slice).
	ByGroup []Enforcement
	// ByGold holds one Enforcement per gold label, in declared order: for an
	// allowed label only Over is defined (its denominator is the annotations
	// whose gold is that label), for a violation label only Under and
	// WrongPolicy; the other rate is NaN with N = 0.
	ByGold []Enforcement
	// OverByGiven[v] counts the over-enforcing annotations that gave
	// violation label v; UnderByGold[v] counts the under-enforcing
	// annotations whose gold is v. They split Overall's numerators by label.
	OverByGiven, UnderByGold []float64
}

// EnforcementErrors counts over- and under-enforcement against gold.
// allowed[k] says whether label k is allowed (approve-like); every other
// label is a violation. Over annotations j on gold items (gold[item[j]] >= 0):
//
//	over  = #{j : allowed[gold] ∧ ¬allowed[label[j]]} / #{j : allowed[gold]}
//	under = #{j : ¬allowed[gold] ∧ allowed[label[j]]} / #{j : ¬allowed[gold]}
//
// each with a Wilson (1927) 95% interval. The denominators are annotations
// (not items) on gold items of the matching kind, pooled like Evaluate, so
// duplicate rows each count; gold items nobody answered do not count. A rate
// whose denominator is 0 is NaN. The definitions are LabelQA's (the
// ads-integrity usage of over- / under-enforcement: a false positive / false
// negative of the binary allowed-versus-violation decision).
//
// group is an optional per-judgment group code (nil = no groups; pass the
// rater slice for per-rater rates; a negative code leaves the judgment out of
// ByGroup only). EnforcementErrors panics if slices differ in length,
// len(allowed) is not q, or a code is out of range.
func EnforcementErrors(item, label []int32, gold []int32, allowed []bool, group []int32, nGroups int) EnforcementResult {
	q := len(allowed)
	checkJudgments(item, label, gold, q, nil)
	if group != nil && len(group) != len(item) {
		panic("gold: group slice differs in length from item")
	}
	type acc struct{ over, nAllowed, under, wrong, nViol float64 }
	var all acc
	byGroup := make([]acc, nGroups)
	byGold := make([]acc, q)
	res := EnforcementResult{OverByGiven: make([]float64, q), UnderByGold: make([]float64, q)}
	add := func(a *acc, g, l int32) {
		if allowed[g] {
			a.nAllowed++
			if !allowed[l] {
				a.over++
			}
		} else {
			a.nViol++
			if allowed[l] {
				a.under++
			} else if l != g {
				a.wrong++
			}
		}
	}
	for j, it := range item {
		g := gold[it]
		if g < 0 {
			continue
		}
		l := label[j]
		add(&all, g, l)
		add(&byGold[g], g, l)
		if allowed[g] && !allowed[l] {
			res.OverByGiven[l]++
		} else if !allowed[g] && allowed[l] {
			res.UnderByGold[g]++
		}
		if group != nil && group[j] >= 0 {
			if int(group[j]) >= nGroups {
				panic("gold: group code out of range")
			}
			add(&byGroup[group[j]], g, l)
		}
	}
	conv := func(a acc) Enforcement {
		return Enforcement{
			Over:        Wilson(a.over, a.nAllowed, Z95),
			Under:       Wilson(a.under, a.nViol, Z95),
			WrongPolicy: a.wrong,
		}
	}
	res.Overall = conv(all)
	res.ByGroup = make([]Enforcement, nGroups)
	for k := range byGroup {
		res.ByGroup[k] = conv(byGroup[k])
	}
	res.ByGold = make([]Enforcement, q)
	for k := range byGold {
		res.ByGold[k] = conv(byGold[k])
	}
	return res
}
