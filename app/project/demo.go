package project

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"labelqa/app/demo"
	"labelqa/app/store"
)

// DemoProjectName is the project file CreateDemo writes inside its directory.
const DemoProjectName = "demo.lqa"

// CreateDemo writes the sample batches and golden sets into dir and imports
// them into dir/demo.lqa, declaring the sample's label set. progress counts
// files done out of files to import.
func CreateDemo(ctx context.Context, dir string, opts demo.Options, progress Progress) (string, demo.Result, error) {
	proj := filepath.Join(dir, DemoProjectName)
	if _, err := os.Stat(proj); err == nil {
		return proj, demo.Result{}, fmt.Errorf("%s: %w; choose another directory or delete it first", proj, store.ErrProjectExists)
	}
	res, err := demo.Generate(ctx, dir, opts, nil)
	if err != nil {
		return proj, res, err
	}
	if err := importDemo(ctx, proj, res, progress); err != nil {
		os.Remove(proj)
		os.Remove(proj + "-wal")
		os.Remove(proj + "-shm")
		return proj, res, err
	}
	return proj, res, nil
}

func importDemo(ctx context.Context, proj string, res demo.Result, progress Progress) error {
	if err := Init(ctx, proj, res.Labels, res.Allowed); err != nil {
		return err
	}
	s, err := store.Open(ctx, proj)
	if err != nil {
		return err
	}
	defer s.Close()
	total := int64(len(res.Batches) + len(res.Gold))
	done := int64(0)
	for _, b := range res.Batches {
		if _, err := Import(ctx, s, b, ImportOptions{}, nil); err != nil {
			return err
		}
		done++
		if progress != nil {
			progress(done, total)
		}
	}
	for _, g := range res.Gold {
		if _, err := ImportGold(ctx, s, g.Path, GoldOptions{Version: g.Version}, nil); err != nil {
			return err
		}
		done++
		if progress != nil {
			progress(done, total)
		}
	}
	for _, t := range demo.Targets {
		if err := t.Check(); err != nil {
			return err
		}
		if err := s.SetTarget(ctx, t); err != nil {
			return err
		}
	}
	return nil
}
