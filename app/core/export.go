package core

import (
	"context"

	"labelqa/app/store"
)

// Vendor-scoped projects. ExportVendor writes a project holding one
// vendor's part of this one (store.ExportVendor says what is kept and what
// is redacted); the file records its vendor, and every Project opened on
// it applies that vendor as the scope of each query (query.WithinVendor),
// which no caller can widen: a query naming another vendor is refused
// with query.ErrOutsideScope.

type (
	// ExportResult is what ExportVendor wrote.
	ExportResult = store.ExportResult
	// Forbidden is what must not reach a vendor: the other vendors' names
	// and reviewer ids.
	Forbidden = store.Forbidden
	// Redactor replaces other vendors' names and reviewer ids in text.
	Redactor = store.Redactor
)

// Errors of ExportVendor.
var (
	ErrNoVendor         = store.ErrNoVendor
	ErrExportOverSource = store.ErrExportOverSource
)

// Redacted replaces a forbidden name or id in text given to a vendor.
const Redacted = store.Redacted

// PracticeQueue is the one queue whose golden answers a vendor may see.
const PracticeQueue = store.PracticeQueue

// newProject is the Project of an open store, with its vendor scope.
func newProject(ctx context.Context, s *store.Store) (*Project, error) {
	scope, scoped, err := s.VendorScope(ctx)
	if err != nil {
		s.Close()
		return nil, err
	}
	return &Project{s: s, scope: scope, scoped: scoped}, nil
}

// Scope returns the vendor a vendor-scoped project is limited to, and
// whether it is one.
func (p *Project) Scope() (vendor string, ok bool) { return p.scope, p.scoped }

// applyScope narrows q to the project's vendor scope, refusing a query of
// another vendor (query.ErrOutsideScope).
func (p *Project) applyScope(q Query) (Query, error) {
	if !p.scoped {
		return q, nil
	}
	q = q.WithinVendor(p.scope)
	return q, q.Validate()
}

// ScopeQuery is q as every read of this project applies it: narrowed to
// its vendor scope, if it has one. A query naming another vendor than the
// scope is refused (query.ErrOutsideScope).
func (p *Project) ScopeQuery(q Query) (Query, error) { return p.applyScope(q) }

// ExportVendor writes a vendor-scoped project of vendor at path (see
// store.ExportVendor); a vendor-scoped project exports its own vendor only.
func (p *Project) ExportVendor(ctx context.Context, vendor, path string) (ExportResult, error) {
	if _, err := p.applyScope(Query{Vendor: vendor}); err != nil {
		return ExportResult{Vendor: vendor, Path: path}, err
	}
	return p.s.ExportVendor(ctx, vendor, path)
}

// Vendors lists the vendors with judgments in the project (in a
// vendor-scoped project, its vendor only).
func (p *Project) Vendors(ctx context.Context) ([]string, error) {
	if p.scoped {
		return []string{p.scope}, nil
	}
	return p.s.Vendors(ctx)
}

// VendorBatches lists the batches of vendor's judgments, visible golden
// answers and audits as that vendor may see them (base file names, other
// vendors' names redacted, a file shared with other vendors counted with
// vendor's rows only): the sources a vendor workbook lists.
func (p *Project) VendorBatches(ctx context.Context, vendor string) ([]Batch, error) {
	if _, err := p.applyScope(Query{Vendor: vendor}); err != nil {
		return nil, err
	}
	return p.s.VendorBatches(ctx, vendor)
}

// ForbiddenFor returns the other vendors' names and reviewer ids: what no
// output for vendor may hold. Its Redactor removes them from text.
func (p *Project) ForbiddenFor(ctx context.Context, vendor string) (Forbidden, error) {
	return p.s.ForbiddenFor(ctx, vendor)
}

// VendorError is one error against gold of a vendor's judgment, as the
// vendor may see it (store.VendorError).
type VendorError = store.VendorError

// VendorErrors returns up to limit errors against gold of vendor's
// judgments that q selects, those on practice-queue gold first (with item,
// answer and rationale; the others without), newest first, and how many
// there are on practice gold and in all.
func (p *Project) VendorErrors(ctx context.Context, vendor string, q Query, limit int) ([]VendorError, int, int, error) {
	q, err := p.applyScope(q)
	if err != nil {
		return nil, 0, 0, err
	}
	return p.s.VendorErrors(ctx, vendor, q, limit)
}

// VendorGoldVersions lists the golden-set versions with answers vendor may
// see, each counting those only (the golden sets a vendor workbook lists).
func (p *Project) VendorGoldVersions(ctx context.Context, vendor string) ([]GoldVersion, error) {
	if _, err := p.applyScope(Query{Vendor: vendor}); err != nil {
		return nil, err
	}
	return p.s.VendorGoldVersions(ctx, vendor)
}
