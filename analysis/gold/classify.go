package gold

import "math"

// LabelScores are one label's scores against gold, scikit-learn's
// precision_recall_fscore_support for that label.
type LabelScores struct {
	// Precision = TP/(TP+FP); NaN when the label was never given (TP+FP = 0).
	Precision float64
	// Recall = TP/(TP+FN); NaN when no gold annotation has the label (TP+FN = 0).
	Recall float64
	// F1 = 2TP/(2TP+FP+FN), the harmonic mean of precision and recall;
	// 0 when exactly one of them is undefined, NaN when TP+FP+FN = 0.
	F1 float64
	// Support is TP+FN, the (weighted) number of annotations whose gold is the label.
	Support float64
	// Predicted is TP+FP, the (weighted) number of annotations giving the label.
	Predicted float64
}

// Averages are averaged precision, recall and F1.
type Averages struct {
	Precision, Recall, F1 float64
}

// Classification is the pooled comparison of annotations with gold.
type Classification struct {
	// Q is the number of declared labels.
	Q int
	// Annotations is the number of pooled predictions (their total weight when
	// weights are given).
	Annotations float64
	// Items is the number of gold items with at least one annotation
	// (Evaluate); for Classify and FromConfusion it is -1.
	Items int
	// Accuracy is the share of annotations equal to gold, with a Wilson 95%
	// interval.
	Accuracy Proportion
	// CohenKappa is Cohen's (1960) kappa between annotations and gold.
	CohenKappa float64
	// MCC is the multi-class Matthews correlation coefficient.
	MCC float64
	// PerLabel holds each declared label's scores, in declared order.
	PerLabel []LabelScores
	// Macro, Micro and Weighted are scikit-learn's averages over the labels
	// present in gold or annotations (see FromConfusion).
	Macro, Micro, Weighted Averages
	// Confusion is the q×q matrix in declared label order, row-major:
	// Confusion[g*q+p] counts annotations with gold g that gave p
	// (rows are gold, columns are given, as sklearn.metrics.confusion_matrix).
	Confusion []float64
}

// Evaluate compares every annotation on a gold item with that item's gold
// label, pooled: each annotation is one prediction, so an item answered by
// five reviewers contributes five predictions.
//
//	pairs = {(gold[item[j]], label[j]) : gold[item[j]] >= 0}
//
// and the result is FromConfusion of those pairs, with Items = the number of
// distinct gold items among them. Gold items nobody answered do not count.
// Duplicate (item, rater) rows each count. weights, when not nil, is a
// per-judgment weight (scikit-learn's sample_weight); nil means every
// judgment weighs 1.
//
// Evaluate panics if item, label (and weights) differ in length, or if a code
// is out of range (item outside gold, label or gold outside 0..q-1).
func Evaluate(item, label []int32, gold []int32, q int, weights []float64) Classification {
	checkJudgments(item, label, gold, q, weights)
	cm := make([]float64, q*q)
	seen := make([]bool, len(gold))
	items := 0
	for j, it := range item {
		g := gold[it]
		if g < 0 {
			continue
		}
		w := 1.0
		if weights != nil {
			w = weights[j]
		}
		cm[int(g)*q+int(label[j])] += w
		if !seen[it] {
			seen[it] = true
			items++
		}
	}
	c := fromConfusion(cm, q)
	c.Items = items
	return c
}

// Classify compares predictions pred[k] with references ref[k] (codes
// 0..q-1), as scikit-learn's metrics do with y_true=ref, y_pred=pred.
// weights is an optional per-pair weight (nil = unweighted). It is
// FromConfusion of the pairs' confusion matrix.
func Classify(pred, ref []int32, q int, weights []float64) Classification {
	if len(pred) != len(ref) || (weights != nil && len(weights) != len(pred)) {
		panic("gold: Classify slices differ in length")
	}
	cm := make([]float64, q*q)
	for k := range pred {
		p, r := pred[k], ref[k]
		if p < 0 || int(p) >= q || r < 0 || int(r) >= q {
			panic("gold: label code out of range")
		}
		w := 1.0
		if weights != nil {
			w = weights[k]
		}
		cm[int(r)*q+int(p)] += w
	}
	return fromConfusion(cm, q)
}

// FromConfusion computes every gold measure from a q×q confusion matrix cm
// (row-major, rows gold, columns given). With TPₖ = cm[k][k],
// FPₖ = column sum − TPₖ, FNₖ = row sum − TPₖ, n = Σ cm:
//
//	accuracy   = Σₖ TPₖ / n                       (Wilson 95% interval)
//	precisionₖ = TPₖ/(TPₖ+FPₖ)   recallₖ = TPₖ/(TPₖ+FNₖ)
//	F1ₖ        = 2TPₖ/(2TPₖ+FPₖ+FNₖ)
//	macro      = unweighted mean over labels L of the per-label score
//	weighted   = Σ_{k∈L} supportₖ·scoreₖ / Σ_{k∈L} supportₖ
//	micro      = ΣTP/Σ(TP+FP), ΣTP/Σ(TP+FN), and their harmonic mean
//
// Source: scikit-learn precision_recall_fscore_support (labels=None,
// zero_division="warn"). As there, L is the set of labels present in gold or
// in the annotations (a declared label nobody used and no gold has is left out
// of the averages, and reported per label with all-NaN scores), and an
// undefined per-label score (0/0) counts as 0 inside the averages, which is
// what zero_division="warn" does. Per label, an undefined score is NaN (the
// caller writes null), never 0.
//
// CohenKappa and MCC are described at CohenKappa and MCC. FromConfusion does
// not keep cm; it copies it. It panics if len(cm) != q*q.
func FromConfusion(cm []float64, q int) Classification {
	if q <= 0 || len(cm) != q*q {
		panic("gold: confusion matrix must be q×q")
	}
	return fromConfusion(append([]float64(nil), cm...), q)
}

// fromConfusion is FromConfusion keeping cm (Evaluate and Classify build it
// for the result: no second q×q copy, 72 MB at 3,000 labels).
func fromConfusion(cm []float64, q int) Classification {
	if q <= 0 || len(cm) != q*q {
		panic("gold: confusion matrix must be q×q")
	}
	nan := math.NaN()
	c := Classification{Q: q, Items: -1, Confusion: cm}
	row := make([]float64, q)
	col := make([]float64, q)
	var n, tp float64
	for g := 0; g < q; g++ {
		for p := 0; p < q; p++ {
			v := cm[g*q+p]
			row[g] += v
			col[p] += v
			n += v
		}
		tp += cm[g*q+g]
	}
	c.Annotations = n
	if n > 0 {
		c.Accuracy = Wilson(tp, n, Z95)
	} else {
		c.Accuracy = Wilson(0, 0, Z95)
	}
	c.CohenKappa = CohenKappa(cm, q, Unweighted)
	c.MCC = MCC(cm, q)

	c.PerLabel = make([]LabelScores, q)
	var macro, wtd Averages
	var nL int
	var supp, sumTP, sumPred float64
	zero := func(x float64) float64 {
		if math.IsNaN(x) {
			return 0
		}
		return x
	}
	for k := 0; k < q; k++ {
		t := cm[k*q+k]
		s := LabelScores{Precision: nan, Recall: nan, F1: nan, Support: row[k], Predicted: col[k]}
		if col[k] > 0 {
			s.Precision = t / col[k]
		}
		if row[k] > 0 {
			s.Recall = t / row[k]
		}
		if d := row[k] + col[k]; d > 0 {
			s.F1 = 2 * t / d
		}
		c.PerLabel[k] = s
		if row[k] == 0 && col[k] == 0 {
			continue // not in L
		}
		nL++
		macro.Precision += zero(s.Precision)
		macro.Recall += zero(s.Recall)
		macro.F1 += zero(s.F1)
		wtd.Precision += row[k] * zero(s.Precision)
		wtd.Recall += row[k] * zero(s.Recall)
		wtd.F1 += row[k] * zero(s.F1)
		supp += row[k]
		sumTP += t
		sumPred += col[k]
	}
	if nL == 0 {
		c.Macro = Averages{nan, nan, nan}
		c.Micro = c.Macro
		c.Weighted = c.Macro
		return c
	}
	fl := float64(nL)
	c.Macro = Averages{macro.Precision / fl, macro.Recall / fl, macro.F1 / fl}
	if supp > 0 {
		c.Weighted = Averages{wtd.Precision / supp, wtd.Recall / supp, wtd.F1 / supp}
	}
	mp, mr := 0.0, 0.0
	if sumPred > 0 {
		mp = sumTP / sumPred
	}
	if supp > 0 {
		mr = sumTP / supp
	}
	mf := 0.0
	if mp+mr > 0 {
		mf = 2 * mp * mr / (mp + mr)
	}
	c.Micro = Averages{mp, mr, mf}
	return c
}

// KappaWeighting selects the disagreement weights of CohenKappa.
type KappaWeighting int

const (
	// Unweighted: wᵢⱼ = 0 on the diagonal, 1 elsewhere.
	Unweighted KappaWeighting = iota
	// Linear: wᵢⱼ = |i−j| on the declared label index.
	Linear
	// Quadratic: wᵢⱼ = (i−j)² on the declared label index.
	Quadratic
)

// CohenKappa returns Cohen's kappa of a q×q confusion matrix cm (row-major;
// rows one rater or gold, columns the other), with disagreement weights w:
//
//	Eᵢⱼ = rowᵢ·colⱼ / n
//	κ   = 1 − Σᵢⱼ wᵢⱼ cmᵢⱼ / Σᵢⱼ wᵢⱼ Eᵢⱼ
//
// Unweighted this is (pₒ − pₑ)/(1 − pₑ). Source: J. Cohen (1960), Educ.
// Psychol. Meas. 20(1):37–46; weighted: Cohen (1968), Psychol. Bull.
// 70(4):213–220; the formula and weights of scikit-learn cohen_kappa_score.
// The weights use the declared label index i, j (scikit-learn uses the index
// among the labels present unless labels= is passed; the two agree when every
// declared label occurs). NaN when Σ w·E = 0 (for example one label only).
func CohenKappa(cm []float64, q int, w KappaWeighting) float64 {
	if q <= 0 || len(cm) != q*q {
		panic("gold: confusion matrix must be q×q")
	}
	row := make([]float64, q)
	col := make([]float64, q)
	var n float64
	for i := 0; i < q; i++ {
		for j := 0; j < q; j++ {
			row[i] += cm[i*q+j]
			col[j] += cm[i*q+j]
			n += cm[i*q+j]
		}
	}
	if n == 0 {
		return math.NaN()
	}
	var obs, exp float64
	for i := 0; i < q; i++ {
		for j := 0; j < q; j++ {
			var wij float64
			d := float64(i - j)
			switch w {
			case Unweighted:
				if i != j {
					wij = 1
				}
			case Linear:
				wij = math.Abs(d)
			case Quadratic:
				wij = d * d
			default:
				panic("gold: unknown KappaWeighting")
			}
			obs += wij * cm[i*q+j]
			exp += wij * row[i] * col[j] / n
		}
	}
	if exp == 0 {
		return math.NaN()
	}
	return 1 - obs/exp
}

// MCC returns the multi-class Matthews correlation coefficient of a q×q
// confusion matrix cm (rows gold, columns given). With tₖ the row sums,
// pₖ the column sums, c = Σ cmₖₖ and s = Σ cm:
//
//	MCC = (c·s − Σₖ pₖtₖ) / sqrt((s² − Σₖ pₖ²)(s² − Σₖ tₖ²))
//
// Source: B. W. Matthews (1975), Biochim. Biophys. Acta 405(2):442–451 (two
// classes); J. Gorodkin (2004), Comput. Biol. Chem. 28(5–6):367–374 (the
// multi-class R_K statistic); the formula of scikit-learn matthews_corrcoef.
// When the denominator is 0 (gold or the annotations use a single label)
// scikit-learn returns 0.0; MCC returns NaN, because the coefficient is
// undefined there (the caller writes null).
func MCC(cm []float64, q int) float64 {
	if q <= 0 || len(cm) != q*q {
		panic("gold: confusion matrix must be q×q")
	}
	t := make([]float64, q)
	p := make([]float64, q)
	var c, s float64
	for i := 0; i < q; i++ {
		for j := 0; j < q; j++ {
			t[i] += cm[i*q+j]
			p[j] += cm[i*q+j]
			s += cm[i*q+j]
		}
		c += cm[i*q+i]
	}
	var pt, pp, tt float64
	for k := 0; k < q; k++ {
		pt += p[k] * t[k]
		pp += p[k] * p[k]
		tt += t[k] * t[k]
	}
	den := (s*s - pp) * (s*s - tt)
	if den <= 0 {
		return math.NaN()
	}
	return (c*s - pt) / math.Sqrt(den)
}

// AccuracyBy returns, for every group 0..nGroups-1, the share of its
// annotations on gold items that equal gold, with a Wilson 95% interval:
//
//	accuracy_g = #{j : group[j]=g, gold[item[j]]>=0, label[j]=gold[item[j]]}
//	           / #{j : group[j]=g, gold[item[j]]>=0}
//
// group is a per-judgment group code (pass the rater slice for per-rater
// accuracy); a negative code leaves the judgment out. A group with no gold
// annotation gets NaN.
func AccuracyBy(item, label []int32, gold []int32, group []int32, nGroups int) []Proportion {
	checkJudgments(item, label, gold, -1, nil)
	if len(group) != len(item) {
		panic("gold: group slice differs in length from item")
	}
	num := make([]float64, nGroups)
	den := make([]float64, nGroups)
	for j, it := range item {
		g := gold[it]
		k := group[j]
		if g < 0 || k < 0 {
			continue
		}
		if int(k) >= nGroups {
			panic("gold: group code out of range")
		}
		den[k]++
		if label[j] == g {
			num[k]++
		}
	}
	out := make([]Proportion, nGroups)
	for k := range out {
		out[k] = Wilson(num[k], den[k], Z95)
	}
	return out
}

// checkJudgments panics on a caller's bug. q < 0 skips the label range check.
func checkJudgments(item, label []int32, gold []int32, q int, weights []float64) {
	if len(item) != len(label) {
		panic("gold: item and label differ in length")
	}
	if weights != nil && len(weights) != len(item) {
		panic("gold: weights differ in length from item")
	}
	for j, it := range item {
		if it < 0 || int(it) >= len(gold) {
			panic("gold: item code out of range")
		}
		if q >= 0 && (label[j] < 0 || int(label[j]) >= q) {
			panic("gold: label code out of range")
		}
	}
	if q >= 0 {
		for _, g := range gold {
			if int(g) >= q || g < -1 {
				panic("gold: gold code out of range")
			}
		}
	}
}
