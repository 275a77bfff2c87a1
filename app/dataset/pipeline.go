package dataset

import (
	"context"
	"errors"
	"sync/atomic"

	"labelqa/app/ingest"
)

// pipelineBatch is a run of records copied out of the reader, whose labels
// live in one flat slice (Record.Labels is reused by the reader).
type pipelineBatch struct {
	recs   []ingest.Record
	labels []string
	off    []int32 // recs[i]'s labels start at labels[off[i]]
}

const (
	pipelineBatchSize = 4096
	pipelineBatches   = 6 // in flight: 4 queued, one filling, one being coded
)

func (b *pipelineBatch) reset() {
	b.recs, b.labels, b.off = b.recs[:0], b.labels[:0], b.off[:0]
}

func (b *pipelineBatch) add(r *ingest.Record) {
	b.off = append(b.off, int32(len(b.labels)))
	b.labels = append(b.labels, r.Labels...)
	b.recs = append(b.recs, *r)
	b.recs[len(b.recs)-1].Labels = nil
}

// record restores the i-th record's labels and returns it.
func (b *pipelineBatch) record(i int) *ingest.Record {
	end := int32(len(b.labels))
	if i+1 < len(b.off) {
		end = b.off[i+1]
	}
	r := &b.recs[i]
	r.Labels = b.labels[b.off[i]:end]
	return r
}

// scanPipelined is ingest.Scan with the reading on its own goroutine: records
// reach fn on the calling goroutine in batches, so parsing the file (one
// core) overlaps with coding the records (the other). fn's *ingest.Error
// results are the caller's to keep; any other error stops the scan.
//
// read and produced, when not nil, are advanced together by the bytes the
// reader got through and the records it had parsed by then.
func scanPipelined(ctx context.Context, path string, opts ingest.Options, read, produced *atomic.Int64, fn func(*ingest.Record) error) error {
	var parsed int64 // records parsed in this file; the reader goroutine's own
	if read != nil {
		base, baseRecords := read.Load(), produced.Load()
		progress := opts.Progress
		opts.Progress = func(done, total int64) {
			// Called on the reader goroutine, between records.
			read.Store(base + done)
			produced.Store(baseRecords + parsed)
			if progress != nil {
				progress(done, total)
			}
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full := make(chan *pipelineBatch, pipelineBatches-2)
	free := make(chan *pipelineBatch, pipelineBatches)
	for range pipelineBatches {
		free <- &pipelineBatch{
			recs:   make([]ingest.Record, 0, pipelineBatchSize),
			labels: make([]string, 0, 2*pipelineBatchSize),
			off:    make([]int32, 0, pipelineBatchSize),
		}
	}
	var scanErr error
	go func() {
		defer close(full)
		cur := <-free
		_, scanErr = ingest.Scan(ctx, path, opts, func(r *ingest.Record) error {
			parsed++
			cur.add(r)
			if len(cur.recs) < pipelineBatchSize {
				return nil
			}
			select {
			case full <- cur:
			case <-ctx.Done():
				return ctx.Err()
			}
			cur = <-free
			cur.reset()
			return nil
		})
		if len(cur.recs) > 0 && scanErr == nil {
			full <- cur
		}
	}()
	var fnErr error
	for b := range full {
		for i := 0; i < len(b.recs) && fnErr == nil; i++ {
			if err := fn(b.record(i)); err != nil {
				var ie *ingest.Error
				if !errors.As(err, &ie) {
					fnErr = err
					cancel()
				}
			}
		}
		b.reset()
		free <- b
	}
	// full is closed: the reading goroutine has finished and set scanErr.
	if fnErr != nil {
		return fnErr
	}
	return scanErr
}
