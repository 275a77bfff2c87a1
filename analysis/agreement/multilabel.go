package agreement

import (
	"fmt"
	"math/bits"
)

// MultiRatings holds sparse multi-label judgments: judgment j says rater
// Rater[j] gave item Item[j] the label set Labels[j], a bitmask in which bit
// k (1<<k) stands for label k, 0 ≤ k < NLabels ≤ 64. An empty set (0) is a
// valid answer ("none of the labels"). At most one judgment per
// (item, rater); the caller deduplicates.
type MultiRatings struct {
	Item, Rater []int32
	Labels      []uint64
	NItems      int
	NRaters     int
	NLabels     int
}

func (m *MultiRatings) validate() {
	if len(m.Item) != len(m.Rater) || len(m.Item) != len(m.Labels) {
		panic(fmt.Sprintf("agreement: Item, Rater, Labels lengths differ (%d, %d, %d)", len(m.Item), len(m.Rater), len(m.Labels)))
	}
	if m.NLabels < 1 || m.NLabels > 64 {
		panic("agreement: NLabels must be in [1, 64]")
	}
	var mask uint64 = ^uint64(0)
	if m.NLabels < 64 {
		mask = 1<<uint(m.NLabels) - 1
	}
	for j := range m.Item {
		if it := m.Item[j]; it < 0 || int(it) >= m.NItems {
			panic(fmt.Sprintf("agreement: judgment %d: item %d out of range [0,%d)", j, it, m.NItems))
		}
		if g := m.Rater[j]; g < 0 || int(g) >= m.NRaters {
			panic(fmt.Sprintf("agreement: judgment %d: rater %d out of range [0,%d)", j, g, m.NRaters))
		}
		if m.Labels[j]&^mask != 0 {
			panic(fmt.Sprintf("agreement: judgment %d: label bit beyond NLabels=%d", j, m.NLabels))
		}
	}
}

// SetDistance is a distance between two label sets in [0, 1], 0 for equal
// sets; it is used as Krippendorff's δ between set values.
type SetDistance func(a, b uint64) float64

// JaccardDistance returns the Jaccard distance between two label sets
//
//	d = 1 - |A∩B| / |A∪B|
//
// (0 when both sets are empty). Source: Jaccard (1912) New Phytol. 11:37-50;
// nltk.metrics.distance.jaccard_distance.
func JaccardDistance(a, b uint64) float64 {
	u := bits.OnesCount64(a | b)
	if u == 0 {
		return 0
	}
	return 1 - float64(bits.OnesCount64(a&b))/float64(u)
}

// MASIDistance returns Passonneau's (2006) Measuring Agreement on Set-valued
// Items distance
//
//	d = 1 - J·M,   J = |A∩B| / |A∪B|
//	M = 1 if A = B, 2/3 if A ⊂ B or B ⊂ A, 1/3 if A∩B ≠ ∅ otherwise, 0 if disjoint
//
// (0 when both sets are empty). Source: Passonneau (2006) "Measuring
// agreement on set-valued items (MASI) for semantic and pragmatic
// annotation", LREC; as nltk.metrics.distance.masi_distance.
func MASIDistance(a, b uint64) float64 {
	if a == b {
		return 0
	}
	inter := a & b
	if inter == 0 {
		return 1
	}
	var m float64
	switch {
	case inter == a || inter == b:
		m = 2.0 / 3
	default:
		m = 1.0 / 3
	}
	j := float64(bits.OnesCount64(inter)) / float64(bits.OnesCount64(a|b))
	return 1 - j*m
}

// AlphaSets returns Krippendorff's alpha for set-valued judgments with a set
// distance (MASIDistance, JaccardDistance or another).
//
//	D_o = (1/N) Σ_u 1/(m_u - 1) Σ_{i≠j in u} δ(v_i, v_j)
//	D_e = 1/(N(N-1)) Σ_{i≠j} δ(v_i, v_j)          (over all N pairable values)
//	α   = 1 - D_o / D_e
//
// over units with m_u ≥ 2 (pairable values only); δ is used as is (not
// squared), as in Passonneau (2006) and nltk AnnotationTask.alpha. Pa is
// 1 - D_o and Pe is 1 - D_e. No standard error is computed (SE, interval and
// p-value NaN). Cost O(N + Σ_u m_u² + D²) for D distinct sets.
// Source: Krippendorff (2011); Passonneau (2006).
func AlphaSets(m *MultiRatings, dist SetDistance) Result {
	m.validate()
	g := groupSets(m)
	res := undefined("no standard error for set-valued alpha", 0, 0)
	// distinct sets among pairable values
	ids := map[uint64]int{}
	var sets []uint64
	var freq []float64
	var N, do float64
	for i := 0; i < m.NItems; i++ {
		lo, hi := g.start[i], g.start[i+1]
		if hi > lo {
			res.Items++
		}
		if hi-lo < 2 {
			continue
		}
		res.ItemsUsed++
		mu := float64(hi - lo)
		s := 0.0
		for x := lo; x < hi; x++ {
			v := g.set[x]
			id, ok := ids[v]
			if !ok {
				id = len(sets)
				ids[v] = id
				sets = append(sets, v)
				freq = append(freq, 0)
			}
			freq[id]++
			for y := x + 1; y < hi; y++ {
				s += 2 * dist(v, g.set[y])
			}
		}
		N += mu
		do += s / (mu - 1)
	}
	if res.ItemsUsed == 0 {
		res.Reason = "no item has two or more judgments"
		return res
	}
	do /= N
	de := 0.0
	for a := range sets {
		for b := a + 1; b < len(sets); b++ {
			de += 2 * freq[a] * freq[b] * dist(sets[a], sets[b])
		}
	}
	de /= N * (N - 1)
	res.Pa, res.Pe = 1-do, 1-de
	if de == 0 {
		res.Reason = "expected disagreement is 0 (every judgment is the same set): alpha is 0/0"
		return res
	}
	res.Value = 1 - do/de
	return res
}

type setGroups struct {
	start []int32
	set   []uint64
}

func groupSets(m *MultiRatings) *setGroups {
	g := &setGroups{start: make([]int32, m.NItems+1), set: make([]uint64, len(m.Item))}
	for _, it := range m.Item {
		g.start[it+1]++
	}
	for i := 0; i < m.NItems; i++ {
		g.start[i+1] += g.start[i]
	}
	pos := make([]int32, m.NItems)
	copy(pos, g.start[:m.NItems])
	for j, it := range m.Item {
		g.set[pos[it]] = m.Labels[j]
		pos[it]++
	}
	return g
}

// BinaryAgreement is the agreement on one label of a multi-label task,
// each judgment reduced to "label present" / "label absent".
type BinaryAgreement struct {
	Prevalence       float64 // share of judgments with the label
	Specific         float64 // positive specific agreement (see PerLabel)
	PercentAgreement Result
	Kappa            Result // Fleiss' kappa (irrCAC fleiss.kappa.raw)
	Alpha            Result // Krippendorff's nominal alpha
}

// PerLabelBinary returns, for each label k, the agreement on the binary
// variable "k is in the judgment's set": prevalence, positive specific
// agreement, percent agreement, Fleiss' kappa and Krippendorff's alpha, each
// as the corresponding function on the dichotomised Ratings (category 0 =
// absent, 1 = present). Cost O(N·NLabels).
func PerLabelBinary(m *MultiRatings) []BinaryAgreement {
	m.validate()
	out := make([]BinaryAgreement, m.NLabels)
	r := Ratings{Item: m.Item, Rater: m.Rater, Cat: make([]int32, len(m.Item)),
		NItems: m.NItems, NRaters: m.NRaters, NCats: 2}
	for k := 0; k < m.NLabels; k++ {
		bit := uint64(1) << uint(k)
		pos := 0
		for j, s := range m.Labels {
			if s&bit != 0 {
				r.Cat[j] = 1
				pos++
			} else {
				r.Cat[j] = 0
			}
		}
		t := newTable(&r)
		b := BinaryAgreement{Prevalence: nan}
		if len(m.Labels) > 0 {
			b.Prevalence = float64(pos) / float64(len(m.Labels))
		}
		b.Specific = perLabel(t)[1].Specific
		id := identityWeights(2)
		b.PercentAgreement = percentAgreement(t, id)
		b.Kappa = fleissKappa(t, id)
		b.Alpha = krippendorffAlpha(t, Nominal, nil)
		out[k] = b
	}
	return out
}
