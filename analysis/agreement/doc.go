// Package agreement computes inter-annotator agreement coefficients from sparse
// judgments: percent agreement, Cohen's kappa, Scott's pi, Bangdiwala's B,
// Fleiss' kappa, Conger's kappa, Gwet's AC1/AC2, Brennan-Prediger, and
// Krippendorff's alpha (Krippendorff's own metrics and Gwet's weights), with
// standard errors, intervals and p-values; per-label and pairwise agreement;
// and Krippendorff's alpha for multi-label (set-valued) judgments.
//
// # Conventions
//
// Unless a function says otherwise, coefficients, standard errors, intervals
// and p-values follow Gwet's Handbook of Inter-Rater Reliability (4th ed.,
// 2014) as implemented by the raw-data functions of the R package irrCAC 1.4
// (pa.coeff.raw, fleiss.kappa.raw, conger.kappa.raw, gwet.ac1.raw,
// bp.coeff.raw, krippen.alpha.raw):
//
//   - n is the number of items with at least one rating. Items without any
//     rating are ignored (irrCAC asks the caller to drop them).
//   - Observed agreement pa averages over the n2 items with at least two
//     ratings (Result.ItemsUsed). Items with exactly one rating do not enter
//     pa, but, as in irrCAC, they do enter n (the variance denominator and the
//     degrees of freedom) and the classification probabilities of Fleiss,
//     Scott, Gwet and Conger (a single rating still says how a rater or the
//     rater population classifies). Krippendorff's alpha drops them entirely
//     (only "pairable" values), except that irrCAC's krippen.alpha.raw uses
//     n-1 degrees of freedom with n counting them.
//   - The variance is Gwet's linearisation without finite-population
//     correction: v = 1/(n(n-1)) Σ_i (κ*_i - κ)², SE = √v.
//   - The 95% interval is κ ± t_{0.975,n-1}·SE with the upper bound capped at 1.
//   - The p-value is one-sided, P(T_{n-1} > κ/SE) (for percent agreement pa/SE).
//
// Bangdiwala's B is the exception to the n above: irrCAC's bangdiwala.table
// and bangdiwala2RR.fn take n as the items both raters rated (see BangdiwalaB).
//
// Functions named ...ASE or ...Null implement other published conventions
// (SAS PROC FREQ asymptotic SE with normal intervals; Fleiss, Nee & Landis
// 1979 null SE) and say so.
//
// An undefined statistic is NaN (never a substitute number) and Result.Reason
// says why. A caller's bug (slices of different lengths, codes out of range,
// a weight matrix of the wrong size) panics with an "agreement:" prefix.
//
// # Input
//
// Judgments are parallel slices (Ratings.Item, Ratings.Rater, Ratings.Cat),
// one entry per judgment, codes 0-based. At most one judgment per
// (item, rater): the caller deduplicates (a duplicate would be counted as one
// more rating of the item, and for Conger/Cohen as a second rating by the same
// rater, which no published definition covers). Inputs are never modified.
package agreement
